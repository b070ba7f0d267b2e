"""bin/events <slug>...: the files of events/<slug>/ as SQS events, so that nobody writes an envelope or md5OfBody.

A file that holds a plain message body (an event, a batch body, an SNS or EventBridge envelope, or text that is not
JSON at all) becomes an SQS event of one record with that body, as Lambda's SQS event source delivers it; a file
that is already an SQS event ({"Records": [...]}) gets each record's md5OfBody recomputed. env.json is left alone.
Bodies that are JSON are written compact (as producers send them); other text is kept as it is, without the final
newline. Running it twice changes nothing.
"""
import hashlib
import json
import pathlib
import sys
import uuid

ATTRIBUTES = {
    "ApproximateReceiveCount": "1",
    "SentTimestamp": "1764000000000",
    "SenderId": "AIDAEXAMPLEPRODUCER",
    "ApproximateFirstReceiveTimestamp": "1764000000100",
}


def record(slug: str, name: str, body: str) -> dict:
    message_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"cs-destinations/events/{slug}/{name}"))
    return {
        "messageId": message_id,
        "receiptHandle": "AQEB" + message_id.replace("-", "") + "==",
        "body": body,
        "attributes": ATTRIBUTES,
        "messageAttributes": {},
        "md5OfBody": hashlib.md5(body.encode("utf-8")).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:cs-destinations-{slug}",
        "awsRegion": "us-east-1",
    }


def sqs_event(slug: str, file: pathlib.Path) -> dict:
    text = file.read_text(encoding="utf-8")
    try:
        parsed = json.loads(text)
    except ValueError:
        return {"Records": [record(slug, file.name, text.rstrip("\n"))]}
    if isinstance(parsed, dict) and isinstance(parsed.get("Records"), list):
        for r in parsed["Records"]:
            r["md5OfBody"] = hashlib.md5(r["body"].encode("utf-8")).hexdigest()
        return parsed
    body = json.dumps(parsed, separators=(",", ":"), ensure_ascii=False)
    return {"Records": [record(slug, file.name, body)]}


USAGE = "usage: bin/events <slug>...   (writes the plain bodies of events/<slug>/*.json as SQS events, md5OfBody refreshed)"


def main(root: pathlib.Path, slugs: list) -> int:
    if slugs in (["--help"], ["-h"]):
        print(USAGE)
        return 0
    if not slugs:
        print(USAGE, file=sys.stderr)
        return 2
    for slug in slugs:
        folder = root / "events" / slug
        if not folder.is_dir():
            print(f"no folder events/{slug}", file=sys.stderr)
            return 2
        for file in sorted(folder.glob("*.json")):
            if file.name == "env.json":
                continue
            out = json.dumps(sqs_event(slug, file), indent=2, ensure_ascii=False) + "\n"
            if out != file.read_text(encoding="utf-8"):
                file.write_text(out, encoding="utf-8")
                print(f"events/{slug}/{file.name}: written")
    return 0


if __name__ == "__main__":
    sys.exit(main(pathlib.Path(__file__).resolve().parents[2], sys.argv[1:]))
