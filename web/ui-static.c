/* ui-static.c: the home page, /healthz and the stylesheet (compiled in). */
#include <string.h>

#include "html.h"
#include "web.h"
#include "../lib/banned.h"

static const char style[] =
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:16px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1d2330;background:#f6f7f9}\n"
	"header{background:#1f3a5f;padding:.6rem 1rem}\n"
	"header a{color:#fff;text-decoration:none;font-weight:600;margin-right:1rem}\n"
	"main{max-width:72rem;margin:0 auto;padding:1rem}\n"
	"h1{font-size:1.5rem;margin:.3rem 0 1rem}h2{font-size:1.2rem;margin:1.5rem 0 .5rem}\n"
	"a{color:#1f5fa8}\n"
	"table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0}\n"
	"th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e1e4ea;vertical-align:top}\n"
	"th{background:#eef1f5;font-weight:600}\n"
	"td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"td{overflow-wrap:anywhere}td code{word-break:break-all}\n"
	".scroll{overflow-x:auto}\n"
	"pre{background:#fff;border:1px solid #e1e4ea;padding:.5rem;overflow-x:auto;white-space:pre-wrap;word-break:break-all;font-size:.85rem;max-height:30rem}\n"
	".st{display:inline-block;padding:0 .4rem;border-radius:.3rem;background:#e1e4ea;font-size:.85rem}\n"
	".st-pass,.st-passed{background:#d3f2dc;color:#14532d}\n"
	".st-fail,.st-failed,.st-build_failed,.st-crashed,.st-error,.st-infra_error{background:#fbd9d9;color:#7f1d1d}\n"
	".st-time_limit,.st-wall_limit,.st-memory_limit,.st-output_limit,.st-late{background:#fdecc8;color:#713f12}\n"
	".st-queued,.st-running{background:#dbe8fb;color:#1e3a8a}\n"
	".st-skipped,.st-closed{background:#e5e7eb;color:#374151}\n"
	".st-ontime{background:#d3f2dc;color:#14532d}\n"
	".meta{color:#5b6475;font-size:.9rem}\n"
	".box{background:#fff;border:1px solid #e1e4ea;padding:.75rem 1rem;margin:.5rem 0}\n"
	".live{border-left:4px solid #3b82f6}\n"
	".diff .add{color:#14532d;background:#e6f6ea;display:block}\n"
	".diff .del{color:#7f1d1d;background:#fcebeb;display:block}\n"
	".diff .hunk{color:#5b21b6;display:block}\n"
	".diff .file{font-weight:700;display:block;margin-top:.5rem}\n"
	"details{margin:.25rem 0}summary{cursor:pointer}\n"
	"form.inline{display:inline}\n"
	"label{display:block;margin:.5rem 0 .2rem}\n"
	"input,select,button{font:inherit;padding:.3rem .5rem}\n"
	".charts{display:flex;flex-wrap:wrap;gap:1rem}\n"
	".chart{background:#fff;border:1px solid #e1e4ea;padding:.5rem;margin:0;flex:1 1 18rem;max-width:28rem}\n"
	".chart svg{width:100%;height:auto}\n"
	".chart .bar{fill:#3b82f6}.chart .bar.late{fill:#f59e0b}.chart .bar.bad{fill:#ef4444}\n"
	".chart .due{stroke:#b91c1c;stroke-width:2;stroke-dasharray:4 3}\n"
	".chart text{font-size:11px;fill:#374151}.chart .axis{stroke:#9ca3af}\n"
	"@media (max-width:40rem){main{padding:.5rem}th,td{padding:.3rem}.hide-small{display:none}}\n";

int ui_style(struct request *r, const char *rest)
{
	(void)rest;
	r->type = "text/css; charset=utf-8";
	buf_add(&r->out, style, sizeof(style) - 1);
	return 0;
}

int ui_healthz(struct request *r, const char *rest)
{
	(void)rest;
	r->type = "text/plain; charset=utf-8";
	r->no_store = 1;
	html_raw(&r->out, "ok\n");
	return 0;
}

int ui_home(struct request *r, const char *rest)
{
	(void)rest;
	page_begin(r, "Lifebelt");
	html_raw(&r->out, "<p>Students: open the personal link printed after each <code>git push</code> "
		 "(or by <code>lifebelt token</code>).</p>\n"
		 "<p>Teachers: <a href=\"/login\">sign in</a> with your login and token.</p>\n");
	page_end(r);
	return 0;
}
