"""bin/new-destination <Name> <slug>: a working destination, from tools/scaffold/template.

Writes the module functions/<slug> (descriptor, destination with identify and track, settings, URLs, rule files,
golden and golden-flow tests), events/<slug>/ (as SQS events, through bin/events), sam/<Name>/Makefile, and adds
the destination to the root pom.xml, tools/common/pom.xml and template.yaml (the loop's list, the Mappings entry,
the per-destination parameters; its queue, subscription, EventBridge rule and the rest come from the loop). Each addition copies what the destinations already there
have, so that what main requires of every destination the new one has too; DestinationContractTest checks it.
The scaffolded destination builds and passes every test as written; the script ends with what is left to write.
"""
import pathlib
import re
import sys

import sqs_events

ROOT = pathlib.Path(__file__).resolve().parents[2]
TEMPLATE = pathlib.Path(__file__).resolve().parent / "template"
HANDLED = {"identify", "track"}  # the types the scaffold's destination handles (its handledTypes())
ERASURE = {"userDeletion", "suppress", "unsuppress"}  # every destination's queue takes them (D64: Erasure.EVERY_DESTINATION)


def fail(message: str) -> None:
    print(f"bin/new-destination: {message}", file=sys.stderr)
    sys.exit(2)


def destinations(template: str) -> list:
    """The loop's collection: the names of the destinations already in template.yaml."""
    m = re.search(r"&destinations \[([^\]]*)\]", template)
    if not m:
        fail("template.yaml has no '&destinations [...]' list (the Fn::ForEach collection)")
    return [n.strip() for n in m.group(1).split(",") if n.strip()]


def slug_of(template: str, name: str) -> str:
    m = re.search(rf"^    {name}:\n      Slug: (\S+)$", template, re.M)
    if not m:
        fail(f"template.yaml Mappings.Destinations has no {name} entry with its Slug")
    return m.group(1)


def copy_tree(values: dict) -> list:
    written = []
    for source in sorted(TEMPLATE.rglob("*")):
        if source.is_dir():
            continue
        relative = str(source.relative_to(TEMPLATE))
        for k, v in values.items():
            relative = relative.replace(k, v)
        target = ROOT / relative
        if target.exists():
            fail(f"{relative} exists already")
        text = source.read_text(encoding="utf-8")
        for k, v in values.items():
            text = text.replace(k, v)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(relative)
    return written


def module_pom(last_slug: str, name: str, slug: str) -> str:
    """functions/<slug>/pom.xml: the last destination's, its names replaced (so it builds as every module does)."""
    text = (ROOT / "functions" / last_slug / "pom.xml").read_text(encoding="utf-8")
    text = text.replace(f">{last_slug}<", f">{slug}<")
    text = re.sub(r"<description>[^<]*</description>", f"<description>The {name} Lambda: one SQS queue in, {name}'s API out.</description>", text, count=1)
    relative = f"functions/{slug}/pom.xml"
    (ROOT / relative).write_text(text, encoding="utf-8")
    return relative


def add_after_last(path: pathlib.Path, marker: str, old: str, new: str) -> None:
    """Copies every line naming the last destination's {marker} (module, dependency) for the new one, after them."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if marker.format(old) in line]
    if not found:
        fail(f"{path.relative_to(ROOT)}: no line with {marker.format(old)} to copy")
    copies = [lines[i].replace(old, new) for i in found]
    lines[found[-1] + 1:found[-1] + 1] = copies
    path.write_text("".join(lines), encoding="utf-8")


def shared_line(text: str, names: list, suffix: str, name: str) -> str:
    """A parameter another helper added for every destination: the line of a destination that takes the shared
    description (a YAML alias, *x) rather than its own, else the last destination's, for the new name."""
    lines = [m.group(0) for n in names for m in re.finditer(rf"^  {n}{suffix}: \{{.*\}}\n", text, re.M)]
    shared = [l for l in lines if re.search(r"[ {,]Description: \*", l) and "&" not in l]
    line = (shared or lines)[-1]
    return re.sub(r"^  [A-Z][A-Za-z0-9]*?" + suffix + ":", f"  {name}{suffix}:", line)


def edit_template(path: pathlib.Path, name: str, slug: str, package: str) -> None:
    text = path.read_text(encoding="utf-8")
    names = destinations(text)
    last = names[-1]
    last_slug = slug_of(text, last)
    # the loop's collection
    text = re.sub(r"&destinations \[[^\]]*\]", "&destinations [" + ", ".join(names + [name]) + "]", text, count=1)
    # the Mappings entry, after the last one (its block ends at the first line indented less than 6)
    entry = re.search(rf"^    {last}:\n(?:      .*\n)+", text, re.M)
    text = text[:entry.end()] + (
        f"    {name}:\n"
        f"      Slug: {slug}\n"
        f"      Title: {name}\n"
        f"      Handler: dev.destinations.{package}.{name}Handler::handleRequest\n"
        f"      Types: [{', '.join(sorted(HANDLED | ERASURE))}]\n") + text[entry.end():]
    # the per-destination parameters: a line for each one the last destination has (Fn::ForEach cannot make them)
    params = list(re.finditer(rf"^  {last}([A-Z]\w*): \{{.*\}}\n", text, re.M))
    if not params:
        fail(f"template.yaml Parameters: no {last}<Suffix> parameter to copy")
    own = {
        "Settings": f"  {name}Settings: {{Type: String, Default: \"{{}}\", Description: '{name} settings as one JSON object (TODO: its keys, README \"Settings\").'}}\n",
        "ApiKeySecretArn": f"  {name}ApiKeySecretArn: {{Type: String, Default: \"\", AllowedPattern: *secretArn, ConstraintDescription: *secretArnC, Description: *secretD}}\n",
        "VendorRateLimit": f"  {name}VendorRateLimit: {{Type: String, Default: \"\", AllowedPattern: *rate, ConstraintDescription: *rateC, Description: *rateD}}\n",
        "BaseUrl": f"  {name}BaseUrl: {{Type: String, Default: \"\", Description: Base-URL override (a proxy); empty = the vendor's API (TODO).}}\n",
    }
    lines = "".join(own.get(p.group(1)) or shared_line(text, names, p.group(1), name) for p in params)
    text = text[:params[-1].end()] + lines + text[params[-1].end():]
    path.write_text(text, encoding="utf-8")
    return last_slug


USAGE = "usage: bin/new-destination <Name> <slug>   e.g. bin/new-destination MyVendor my-vendor (docs/architecture.md \"Adding a destination\")"


def main(args: list) -> int:
    if args in (["--help"], ["-h"]):
        print(USAGE)
        return 0
    if len(args) != 2:
        print(USAGE, file=sys.stderr)
        return 2
    name, slug = args
    if not re.fullmatch(r"[A-Z][A-Za-z0-9]*", name):
        fail(f"'{name}': the Name is the template's name, PascalCase, e.g. MyVendor: [A-Z][A-Za-z0-9]*")
    if not re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", slug):
        fail(f"'{slug}': the slug is lower-case kebab, e.g. my-vendor: the module folder, metric and queue name")
    package = slug.replace("-", "")
    template = ROOT / "template.yaml"
    text = template.read_text(encoding="utf-8")
    if name in destinations(text):
        fail(f"{name} is in template.yaml's &destinations already")
    last_slug = slug_of(text, destinations(text)[-1])

    written = copy_tree({"__Name__": name, "__slug__": slug, "__package__": package})
    written.append(module_pom(last_slug, name, slug))
    sqs_events.main(ROOT, [slug])
    add_after_last(ROOT / "pom.xml", "<module>functions/{}</module>", last_slug, slug)
    add_after_last(ROOT / "tools" / "common" / "pom.xml", "<artifactId>{}</artifactId>", last_slug, slug)
    edit_template(template, name, slug, package)

    print(f"{name} ({slug}): {len(written)} files written, pom.xml, tools/common/pom.xml and template.yaml updated.")
    print(f"""
It builds and passes every test as it is: a vendor with POST /users (identify) and POST /events (track).
Left to write, the vendor's own:
  1. functions/{slug}/src/main/java/dev/destinations/{package}/{name}Destination.java: BASE_URL, headers, handledTypes(),
     deduplicates() (its non-idempotent writes), the flows in deliver(); {name}Urls.java: its paths;
     {name}Settings.java: its settings, each validated.
  2. the rule files beside it (user.json, event.json; docs/architecture.md "Rule files"), and the golden cases of
     functions/{slug}/src/test/resources/golden (event -> body) and golden-flow (event -> requests).
  3. template.yaml: Mappings.Destinations.{name} (Title, Types = the types of handledTypes(), for its SNS filter), the
     {name}Settings and {name}BaseUrl descriptions; README: its settings and runbook rows.
  4. events/{slug}/: realistic bodies (a plain body per file, then bin/events {slug}).
  5. contract.json beside the rule files (every endpoint, field, limit and error shape, each citing its source key of
     ../shared/spec/vendor-apis.md, "unknown" where none says) and {name}Sandbox's answers (src/test/java).
  6. the vendor's user deletion, if its API has one: userDeletion in handledTypes() and its calls in deliver()
     (Delivery.deleteUser; README "User deletion"). Until then a deletion suppresses the users here and its receipt
     lists no {slug} call (D64).
Then: bin/test (everything a destination can break; DestinationContractTest names the file to fix).""")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
