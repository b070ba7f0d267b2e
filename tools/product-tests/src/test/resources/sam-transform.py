"""Prints a SAM template (argv[1], YAML or JSON) as the SAM transform turns it into CloudFormation, as JSON.

The same transform `sam deploy` has CloudFormation run (aws-sam-translator). Each function's CodeUri becomes an S3
URI first, as `sam package` makes it. TransformedTemplateTest reads the output.
"""
import json
import os
import sys

os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # the transform fills in pseudo parameters; any region does

from samtranslator.translator.transform import transform
from samtranslator.yaml_helper import yaml_parse


class NamedPoliciesOnly:
    """Resolves policy names listed under a function's Policies to their ARNs (no AWS call: the usual partition)."""

    def load(self):
        return _Names()


class _Names(dict):
    def __missing__(self, name):
        return "arn:aws:iam::aws:policy/" + name

    def __contains__(self, name):
        return True

    def get(self, name, default=None):
        return self[name]


template = yaml_parse(open(sys.argv[1]).read())
for resource in template.get("Resources", {}).values():
    if resource.get("Type") == "AWS::Serverless::Function":
        resource.setdefault("Properties", {})["CodeUri"] = "s3://artifacts/function.zip"
print(json.dumps(transform(template, {}, NamedPoliciesOnly())))
