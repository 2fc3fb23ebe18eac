"""The browser chat over the articles: `python app.py [--index DIR] [--host H] [--port P] [--auth U:P]`.

Wiring only: command line -> `Config` -> `qa.library.Library` (the service the CLI shares:
answers, sources, article lines, uploads) -> the Gradio page (`app_page.build_ui`, one
function per panel and per group of events), whose HTML `app_views` builds and escapes. These
are the modules that know Gradio; they import `qa`, never `index`. On a first start with no
index it ingests the bundled `samples/`. Besides the page it serves two named API endpoints, `/ask` and
`/search`, that return the JSON of `qa ask --json` / `qa search --json` (`/ask` takes the earlier
questions of a conversation as `history`), and the page's upload as an undocumented `/add`
(files in; report, sources and status out). With `--mcp` (or `QA_MCP=1`) the same server also
answers MCP clients at `/gradio_api/mcp/` (tools `ask`, `search`, `open_article`: `app_mcp.py`,
served by `app_mcp_server.py` behind the same `--auth`). It binds 127.0.0.1 unless told
otherwise and warns when exposed elsewhere without `--auth`.
"""

import argparse
import ipaddress
import os
import sys
from pathlib import Path
from typing import Any

from app_page import build_ui
from qa.flags import add_llm_flags, add_store_flags, config_from_flags
from qa.offline import apply_offline_defaults

SAMPLES = Path(__file__).resolve().parent / "samples"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="app.py", description="Browser chat over a folder of articles, with line citations.")
    add_store_flags(p)
    add_llm_flags(p)        # optional: a language model writes the answers, our check marks them
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=7860, help="port (default 7860)")
    p.add_argument("--auth", default=os.environ.get("QA_AUTH"), metavar="USER:PASSWORD",
                   help="require this login (default: $QA_AUTH)")
    p.add_argument("--uploads", type=Path, default=None, help="where uploaded articles are kept (default: INDEX/uploads)")
    p.add_argument("--max-upload-mb", type=float, default=10, help="largest upload accepted, in MB (default 10)")
    p.add_argument("--mcp", action="store_true", default=env_flag("QA_MCP"),
                   help="also serve the MCP tools ask, search and open_article at /gradio_api/mcp/ (default: $QA_MCP)")
    return p


def env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not (sep and user and password):
        raise ValueError("--auth must be USER:PASSWORD, both non-empty")
    return user, password


def launch_options(args: argparse.Namespace) -> dict[str, Any]:
    """`Blocks.launch` keyword arguments for the command line; warns when the page is exposed."""
    auth = parse_auth(args.auth)
    if not args.max_upload_mb > 0:
        raise ValueError("--max-upload-mb must be more than 0")
    if not is_loopback(args.host) and auth is None:
        print(f"warning: serving on {args.host} without --auth: anyone who can reach this machine can read "
              f"the articles{' (through MCP too)' if args.mcp else ''} and add to them. Use --auth USER:PASSWORD.",
              file=sys.stderr)
    return {"server_name": args.host, "server_port": args.port, "auth": auth,
            "auth_message": "Sign in to ask the articles." if auth else None,
            "max_file_size": int(args.max_upload_mb * 1e6), **page_options()}


def page_options() -> dict[str, Any]:
    """Launch options every run shares: local fonts only, no SSR, the app's CSS, and Gradio's own MCP
    server off (it would list the page's endpoints and skip the login; `--mcp` serves ours)."""
    import gradio as gr

    from app_views import CSS

    theme = gr.themes.Default(font=["system-ui", "Segoe UI", "Roboto", "sans-serif"],
                              font_mono=["ui-monospace", "Menlo", "Consolas", "monospace"])
    return {"theme": theme, "css": CSS, "ssr_mode": False, "mcp_server": False, "footer_links": ["api"],
            "show_error": False}


def main(argv: list[str] | None = None) -> int:
    apply_offline_defaults()            # before Gradio, Chroma or Hugging Face are imported
    args = build_parser().parse_args(argv)
    from qa import QAError
    from qa.library import open_library

    config = config_from_flags(args)
    try:
        options = launch_options(args)
        library = open_library(config, None, args.uploads or config.index_dir / "uploads",
                               int(args.max_upload_mb * 1e6), samples=SAMPLES)
        print("Loading the model ...", file=sys.stderr)
        library.load_model()            # now, not on the first question
    except (QAError, ValueError) as err:
        print(f"app: error: {err}", file=sys.stderr)
        return 2
    if args.mcp:
        from app_mcp_server import MCP_PATH, launch_kwargs

        options["app_kwargs"] = launch_kwargs(library, options["auth"], is_loopback(args.host))
        print(f"MCP tools ask, search, open_article at http://{args.host}:{args.port}{MCP_PATH}/"
              f"{' (HTTP Basic login: --auth)' if options['auth'] else ''}", file=sys.stderr)
    try:
        build_ui(library).launch(**options)
    except OSError as err:             # e.g. the port is taken
        print(f"app: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
