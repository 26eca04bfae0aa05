/**
 * Implementation details shared by the public packages. Not exported by the module and not part
 * of the API: anything here may change without notice.
 */
package io.aiomisc.internal;
