"""LocalStack's Lambda runtime executor for hosts without Docker: functions are created, no code ever runs.

Selected with LAMBDA_RUNTIME_EXECUTOR=no-docker (bin/localstack sets it). The project runs its functions'
code itself, on AWS's runtime interface client (bin/local invoke); what LocalStack is asked for here is the
deployed resources of `sam deploy`.
"""
from localstack.services.lambda_.invocation.plugins import RuntimeExecutorPlugin

NO_CODE = "this LocalStack runs no function code: it has no Docker (see bin/localstack)"


class NoDockerExecutorPlugin(RuntimeExecutorPlugin):
    name = "no-docker"

    def load(self, *args, **kwargs):
        from localstack.services.lambda_.invocation.runtime_executor import (
            LambdaRuntimeException,
            RuntimeExecutor,
        )

        class NoDockerExecutor(RuntimeExecutor):
            def start(self, env_vars):
                raise LambdaRuntimeException(NO_CODE)

            def stop(self):
                pass

            def get_address(self):
                return "127.0.0.1"

            def get_endpoint_from_executor(self):
                return "127.0.0.1"

            def get_runtime_endpoint(self):
                return "http://127.0.0.1/_localstack_lambda/" + self.id

            def invoke(self, payload):
                raise LambdaRuntimeException(NO_CODE)

            def get_logs(self):
                return NO_CODE

            @classmethod
            def prepare_version(cls, function_version):
                pass  # nothing to download or build: no code will run

            @classmethod
            def cleanup_version(cls, function_version):
                pass

        return NoDockerExecutor
