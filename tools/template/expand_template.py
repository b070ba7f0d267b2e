"""bin/expand-template TEMPLATE [OUT]: the template with its Fn::ForEach loops expanded by the pinned SAM CLI's own
language-extensions processor (samcli.lib.cfn_language_extensions, the code `sam build` runs), as JSON.

What every Java reader of template.yaml (tools/local SamTemplate) and bin/test's LocalStack deploy read: the
resources as if written out (CustifyFunction, CustifyQueue, ...), parameters, conditions and every other intrinsic
left for CloudFormation, the AWS::LanguageExtensions transform removed.

Of the processor's pipeline this runs the parsing and Fn::ForEach processors. Its intrinsic resolver is not run,
because for a template that is still to be deployed it resolves too much (docs/architecture.md "The template";
LanguageExtensionsTest shows each case with --as-sam-cli, the whole pipeline as `sam build` runs it):
  - a Ref to a parameter becomes the parameter's default (DESTINATION_SETTINGS: "{}"),
  - an Fn::Sub of a pseudo parameter becomes its text ("${AWS::StackName}-destinations", the Fn::Sub lost),
  - an Fn::Join of references it cannot resolve becomes their empty text (API_KEY_SECRET_ID: "arn:").
So only what the loop leaves that CloudFormation cannot read without the transform is evaluated here: an
Fn::FindInMap of literal keys (the loop's Mappings entry) and an Fn::Sub without variables, or with a map of
literal variables (so {Ref: {Fn::Sub: "CustifyQueue"}} reads {Ref: CustifyQueue}).
"""
import copy
import json
import sys

from samcli.lib.cfn_language_extensions.api import create_default_intrinsic_resolver
from samcli.lib.cfn_language_extensions.models import ResolutionMode, TemplateProcessingContext
from samcli.lib.cfn_language_extensions.pipeline import ProcessingPipeline
from samcli.lib.cfn_language_extensions.processors.foreach import ForEachProcessor
from samcli.lib.cfn_language_extensions.processors.parsing import TemplateParsingProcessor
from samcli.lib.cfn_language_extensions.sam_integration import process_template_for_sam_cli
from samcli.yamlhelper import yaml_parse

LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"


def expand_loops(template: dict) -> dict:
    """The SAM CLI processor's Fn::ForEach expansion alone."""
    context = TemplateProcessingContext(fragment=copy.deepcopy(template), parameter_values={},
                                        pseudo_parameters=None, resolution_mode=ResolutionMode.PARTIAL)
    resolver = create_default_intrinsic_resolver(context)
    return ProcessingPipeline([TemplateParsingProcessor(), ForEachProcessor(intrinsic_resolver=resolver)]).process_template(context)


def simplify(node, mappings: dict):
    """Fn::FindInMap of literal keys -> its value; Fn::Sub of literal text and variables -> its text (bottom up)."""
    if isinstance(node, list):
        return [simplify(x, mappings) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: simplify(v, mappings) for k, v in node.items()}
    if len(out) != 1:
        return out
    args = out.get("Fn::FindInMap")
    if isinstance(args, list) and len(args) == 3 and all(isinstance(a, str) for a in args):
        found = mappings.get(args[0], {}).get(args[1], {}).get(args[2])
        if found is not None:
            return found
    sub = out.get("Fn::Sub")
    if isinstance(sub, list) and len(sub) == 2 and isinstance(sub[0], str) and isinstance(sub[1], dict) \
            and all(isinstance(v, str) for v in sub[1].values()):
        text = sub[0]
        for name, value in sub[1].items():
            text = text.replace("${" + name + "}", value)
        return {"Fn::Sub": text} if "${" in text else text
    if isinstance(sub, str) and "${" not in sub:
        return sub
    return out


def expand(template: dict) -> dict:
    transform = template.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform] if transform else []
    if LANGUAGE_EXTENSIONS not in transforms:
        return template
    out = expand_loops(template)
    mappings = out.get("Mappings", {})
    for section in ("Conditions", "Resources", "Outputs", "Globals", "Parameters"):
        if section in out:
            out[section] = simplify(out[section], mappings)
    rest = [t for t in transforms if t != LANGUAGE_EXTENSIONS]
    if rest:
        out["Transform"] = rest[0] if len(rest) == 1 else rest
    else:
        out.pop("Transform", None)
    return out


USAGE = "usage: bin/expand-template [--as-sam-cli] TEMPLATE [OUT]   (JSON on stdout without OUT)"


def main(args: list) -> int:
    if args in (["--help"], ["-h"]):
        print(USAGE)
        return 0
    as_sam_cli = "--as-sam-cli" in args
    args = [a for a in args if a != "--as-sam-cli"]
    if len(args) not in (1, 2):
        print(USAGE, file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        template = yaml_parse(f.read())
    # --as-sam-cli: the processor's whole pipeline, as `sam build`/`sam local` run it (where it falls short)
    expanded = process_template_for_sam_cli(template, {}) if as_sam_cli else expand(template)
    text = json.dumps(expanded, indent=1)
    if len(args) == 2:
        with open(args[1], "w", encoding="utf-8") as f:
            f.write(text + "\n")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
