"""Sends the events of small job runs to Nansen's OpenLineage receiver with openlineage-python's HTTP transport.

Reads a plan (JSON) on stdin: {"url", "api_key", "events": [{"eventType", "runId", "eventTime", "job",
"inputs": [{"namespace", "name"}], "outputs": [{"namespace", "name", "fields": [[name, type], ...]}],
"error": "..."}]}. Prints one JSON line per event: {"ok": true, "status": 200, "body": {...}} or
{"ok": false, "status": <http status>, "body": ...}.
"""
import json
import sys

from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import error_message_run, schema_dataset
from openlineage.client.transport.http import ApiKeyTokenProvider, HttpConfig, HttpTransport

PRODUCER = "https://github.com/nansen/tests/openlineage"


def dataset(d, cls):
    facets = {}
    if d.get("fields") is not None:
        facets["schema"] = schema_dataset.SchemaDatasetFacet(
            fields=[schema_dataset.SchemaDatasetFacetFields(name=n, type=t) for n, t in d["fields"]]
        )
    return cls(namespace=d["namespace"], name=d["name"], facets=facets)


def main():
    plan = json.load(sys.stdin)
    config = HttpConfig(
        url=plan["url"],
        auth=ApiKeyTokenProvider({"apiKey": plan["api_key"]}),
        compression=plan.get("compression"),
        timeout=10.0,
        retry={"total": 8, "connect": 8, "read": 8, "backoff_factor": 0.2, "status_forcelist": [500, 502, 503, 504], "allowed_methods": ["POST"]},
    )
    transport = HttpTransport(config)
    client = OpenLineageClient(transport=transport)
    for e in plan["events"]:
        run_facets = {}
        if e.get("error"):
            run_facets["errorMessage"] = error_message_run.ErrorMessageRunFacet(message=e["error"], programmingLanguage="python")
        event = RunEvent(
            eventType=RunState[e["eventType"]],
            eventTime=e["eventTime"],
            run=Run(runId=e["runId"], facets=run_facets),
            job=Job(namespace=e["job"][0], name=e["job"][1]),
            producer=PRODUCER,
            inputs=[dataset(d, InputDataset) for d in e.get("inputs", [])],
            outputs=[dataset(d, OutputDataset) for d in e.get("outputs", [])],
        )
        try:
            response = transport.emit(event)
            print(json.dumps({"ok": True, "status": response.status_code, "body": response.json()}), flush=True)
        except Exception as err:  # noqa: BLE001 - reported to the test
            status = getattr(getattr(err, "response", None), "status_code", None)
            body = getattr(getattr(err, "response", None), "text", str(err))
            print(json.dumps({"ok": False, "status": status, "body": body}), flush=True)
    client.close() if hasattr(client, "close") else None


if __name__ == "__main__":
    main()
