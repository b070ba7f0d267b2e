package dev.destinations.delivery;

/**
 * Where a body that a producer offloaded to S3 is read from (D59): the SQS and SNS extended client libraries (and
 * Powertools' large-message utility, which reads the same) send {@code ["software.amazon.payloadoffloading.PayloadS3Pointer",
 * {"s3BucketName": ..., "s3Key": ...}]} instead of a body over their threshold. {@link MessageBody} recognises the
 * pointer, also inside an envelope, and asks this for the text; the batch runner deletes the object once its message
 * is settled. The S3 implementation is {@code shared/lambda}'s; this module stays without AWS.
 */
public interface OffloadedPayloads {
    /** An object a pointer names. */
    record Pointer(String bucket, String key) {}

    /**
     * The object's text (UTF-8).
     *
     * @throws Failure PAYLOAD_MISSING, PAYLOAD_TOO_LARGE (naming the size), PAYLOAD_NOT_ALLOWED, or PAYLOAD_UNAVAILABLE
     */
    String fetch(Pointer pointer);

    /** Deletes the object of a settled message; never throws (a failure is the implementation's to report). */
    void delete(Pointer pointer);

    /** Offloading off (no PayloadBucketName): every pointer is parked as PAYLOAD_NOT_ALLOWED. */
    static OffloadedPayloads none() {
        return new OffloadedPayloads() {
            @Override
            public String fetch(Pointer pointer) {
                throw new Failure(Reason.PAYLOAD_NOT_ALLOWED, "the body is an S3 pointer (payload offloading) and PAYLOAD_BUCKET "
                        + "(the template's PayloadBucketName) is not set: the function may read no bucket");
            }

            @Override
            public void delete(Pointer pointer) {
                // nothing was fetched
            }
        };
    }
}
