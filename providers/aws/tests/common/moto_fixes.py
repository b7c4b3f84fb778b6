# Fixes to moto 5.2's answers, applied in the moto server process before it starts (by the
# provider tests' wrapper, providers/aws/tests/common/mod.rs, and the binary's end-to-end tests,
# tests/support/moto.rs). Each makes moto answer as AWS does where the AWS SDK for Rust is
# stricter than boto3; none changes what moto stores.
#
# S3 operations whose answer has no payload member (GetBucketVersioning,
# GetBucketAccelerateConfiguration, and GetBucketNotificationConfiguration of a bucket without
# notifications, which moto answers as the deprecated GetBucketNotification) come back from moto
# under a <OperationNameResponse> root; S3 (and the Rust SDK's parser) use the output shape's
# XML name.
from moto.core import serialize as _serialize

_S3_ROOTS = {
    "GetBucketVersioning": "VersioningConfiguration",
    "GetBucketAccelerateConfiguration": "AccelerateConfiguration",
    "GetBucketNotification": "NotificationConfiguration",
}
_moto_s3_result = _serialize.S3Serializer._serialized_result_to_response


def _s3_result(self, resp, result, shape, serialized_result):
    resp = _moto_s3_result(self, resp, result, shape, serialized_result)
    op = self.operation_model.name
    root = _S3_ROOTS.get(op)
    if root is not None and isinstance(resp.get("body"), str):
        resp["body"] = resp["body"].replace(f"<{op}Response", f"<{root}").replace(f"</{op}Response>", f"</{root}>")
    return resp


_serialize.S3Serializer._serialized_result_to_response = _s3_result
