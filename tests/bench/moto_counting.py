# moto_server with a request log of the harness's own, for tests/bench/refresh_moto.sh: one line
# "SERVICE ACTION MS" per request (MS: the milliseconds moto took to build the answer), appended to
# LOG as each answer is built. moto's own log line
# (werkzeug's "POST / HTTP/1.1 200") does not name the action: EC2's query protocol carries it in
# the form body (`Action=DescribeInstances`), SageMaker's JSON protocol in the `X-Amz-Target`
# header. The service is the one the request was signed for (the SigV4 credential scope). The
# fixes the tests apply to moto (providers/aws/tests/common/moto_fixes.py) are applied here too.
#
#   python3 moto_counting.py HOST PORT LOG
import io
import re
import sys
import threading
import time
import urllib.parse
from pathlib import Path

exec(
    (Path(__file__).resolve().parent / "../../providers/aws/tests/common/moto_fixes.py").read_text()
)

from moto.server import DomainDispatcherApplication, create_backend_app  # noqa: E402
from werkzeug.serving import run_simple  # noqa: E402

_SCOPE = re.compile(r"Credential=[^/,]*/[^/,]*/[^/,]*/([^/,]*)/")


class Counting:
    def __init__(self, app, log_path):
        self.app = app
        self.log = open(log_path, "a", buffering=1)
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        m = _SCOPE.search(environ.get("HTTP_AUTHORIZATION", ""))
        service = m.group(1) if m else "-"
        target = environ.get("HTTP_X_AMZ_TARGET")
        action = None
        if target:
            action = target.rsplit(".", 1)[-1]
        else:
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length > 0 else b""
            environ["wsgi.input"] = io.BytesIO(body)
            if "x-www-form-urlencoded" in environ.get("CONTENT_TYPE", ""):
                action = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("Action", [None])[0]
            if action is None:
                action = urllib.parse.parse_qs(environ.get("QUERY_STRING", "")).get("Action", [None])[0]
            if action is None:
                action = f"{environ.get('REQUEST_METHOD')}:{environ.get('PATH_INFO', '/')}"
        t0 = time.perf_counter()
        try:
            return self.app(environ, start_response)
        finally:
            ms = (time.perf_counter() - t0) * 1000
            with self.lock:
                self.log.write(f"{service} {action} {ms:.1f}\n")


if __name__ == "__main__":
    host, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    app = DomainDispatcherApplication(create_backend_app)
    run_simple(host, port, Counting(app, log), threaded=True)
