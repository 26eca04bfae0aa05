package io.aiomisc.service;

import java.util.ArrayList;
import java.util.List;

/**
 * A self-contained HTML flame graph of a {@link CallTree}: the tree as JSON and a small script that
 * draws it (callers below, callees above, width = samples), zooms into a frame on click, resets on
 * a click on the bottom bar or Escape, shows each frame's samples on hover and highlights a search.
 * No network, no external tool.
 */
final class FlameGraph {
    private FlameGraph() {}

    static String html(String title, CallTree tree) {
        StringBuilder json = new StringBuilder(1024);
        appendNode(json, tree.root());
        return TEMPLATE.replace("@TITLE@", escapeHtml(title))
                .replace("@SAMPLES@", Long.toString(tree.samples()))
                .replace("@DATA@", json.toString().replace("</", "<\\/"));
    }

    private static void appendNode(StringBuilder out, CallTree.Node node) {
        out.append("{\"n\":");
        appendString(out, node.name);
        out.append(",\"v\":").append(node.total).append(",\"s\":").append(node.self);
        if (!node.children.isEmpty()) {
            out.append(",\"c\":[");
            List<CallTree.Node> children = new ArrayList<>(node.children.values());
            children.sort((a, b) -> a.name.compareTo(b.name));
            for (int i = 0; i < children.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                appendNode(out, children.get(i));
            }
            out.append(']');
        }
        out.append('}');
    }

    private static void appendString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    private static final String TEMPLATE = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>@TITLE@</title>
            <style>
            body{font:12px system-ui,sans-serif;margin:0;background:#fff;color:#222}
            header{padding:8px 12px;display:flex;gap:12px;align-items:center;border-bottom:1px solid #ddd}
            header h1{font-size:14px;margin:0;font-weight:600}
            #graph{position:relative;margin:8px 12px}
            .f{position:absolute;height:17px;line-height:17px;overflow:hidden;white-space:nowrap;
               box-sizing:border-box;border:1px solid #fff;border-radius:2px;padding:0 3px;cursor:pointer;font-size:11px}
            .f:hover{border-color:#333}
            .m{background:#c6f !important}
            #info{color:#555;min-height:1.2em}
            </style></head><body>
            <header><h1>@TITLE@</h1><span>@SAMPLES@ samples</span>
            <input id="q" placeholder="search (regex)" size="24"><button id="reset">reset zoom</button></header>
            <div id="info">Click a frame to zoom in, the bottom bar or Escape to zoom out.</div>
            <div id="graph"></div>
            <script>
            const root = @DATA@;
            const H = 18, graph = document.getElementById('graph'), info = document.getElementById('info');
            let focus = root, query = null;
            (function link(n, p, d) { n.p = p; n.d = d; (n.c || []).forEach(c => link(c, n, d + 1)); })(root, null, 0);
            function depth(n) { return 1 + Math.max(0, ...(n.c || []).map(depth)); }
            function color(name) {
              let h = 0; for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) | 0;
              const r = 200 + (h & 55), g = 80 + ((h >> 8) & 120), b = 40 + ((h >> 16) & 40);
              return 'rgb(' + r + ',' + g + ',' + b + ')';
            }
            function render() {
              graph.textContent = '';
              const width = graph.clientWidth, ancestors = [];
              for (let a = focus.p; a; a = a.p) ancestors.unshift(a);
              const rows = ancestors.length + depth(focus);
              graph.style.height = (rows * H) + 'px';
              const bar = (n, x, w, level) => {
                if (w < 0.5) return;
                const e = document.createElement('div');
                e.className = 'f' + (query && query.test(n.n) ? ' m' : '');
                e.style.left = x + 'px'; e.style.width = w + 'px';
                e.style.top = ((rows - 1 - level) * H) + 'px';
                e.style.background = n === root ? '#ddd' : color(n.n);
                e.textContent = w > 30 ? n.n : '';
                const pct = (100 * n.v / root.v).toFixed(2);
                e.title = n.n + '\\n' + n.v + ' samples (' + pct + '%), self ' + n.s;
                e.onclick = ev => { ev.stopPropagation(); focus = (n === focus && n.p) ? n.p : n; render(); };
                e.onmouseover = () => { info.textContent = n.n + ' \\u2014 ' + n.v + ' samples (' + pct + '%), self ' + n.s; };
                graph.appendChild(e);
                return e;
              };
              ancestors.forEach((a, i) => bar(a, 0, width, i));
              (function draw(n, x, w, level) {
                bar(n, x, w, level);
                let cx = x;
                for (const c of (n.c || [])) { const cw = w * c.v / n.v; draw(c, cx, cw, level + 1); cx += cw; }
              })(focus, 0, width, ancestors.length);
            }
            document.getElementById('reset').onclick = () => { focus = root; render(); };
            document.getElementById('q').oninput = ev => {
              try { query = ev.target.value ? new RegExp(ev.target.value) : null; } catch (e) { query = null; }
              render();
            };
            document.addEventListener('keydown', ev => { if (ev.key === 'Escape') { focus = root; render(); } });
            window.addEventListener('resize', render);
            render();
            </script></body></html>
            """;
}
