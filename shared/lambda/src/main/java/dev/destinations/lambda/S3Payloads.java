package dev.destinations.lambda;

import dev.destinations.delivery.Failure;
import dev.destinations.delivery.OffloadedPayloads;
import dev.destinations.delivery.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Offloaded bodies in the one bucket PAYLOAD_BUCKET names (D59): read with GetObject, deleted with DeleteObject once
 * the message is settled. The S3 client is built on the first pointer, never at cold start (most functions never see
 * one: tools/perf ColdStartBudgetTest). Details name the bucket, the size and S3's error code, never the key's
 * owner or the body. Thread-safe.
 */
final class S3Payloads implements OffloadedPayloads {
    private final String bucket;
    private final long maxBytes;
    private final Supplier<S3Client> clients;
    private final Consumer<String> deleteFailed;
    private volatile S3Client client;

    /**
     * @param clients      builds the S3 client, called once, on the first pointer
     * @param deleteFailed told (with S3's error code) when a settled message's object could not be deleted
     */
    S3Payloads(String bucket, long maxBytes, Supplier<S3Client> clients, Consumer<String> deleteFailed) {
        this.bucket = bucket;
        this.maxBytes = maxBytes;
        this.clients = clients;
        this.deleteFailed = deleteFailed;
    }

    /**
     * The Lambda's S3 client (also the archive's, D53). Under AWS_ENDPOINT_URL (an emulator: bin/local invoke,
     * bin/cold-start) a bucket is no host name, so path-style addressing.
     */
    static S3Client defaultClient() {
        String endpoint = System.getenv("AWS_ENDPOINT_URL");
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).forcePathStyle(endpoint != null && !endpoint.isBlank()).build();
    }

    @Override
    public String fetch(Pointer pointer) {
        if (!bucket.equals(pointer.bucket())) {
            throw new Failure(Reason.PAYLOAD_NOT_ALLOWED, "the body is an S3 pointer into bucket " + pointer.bucket()
                    + ", not PAYLOAD_BUCKET (" + bucket + "), the one bucket the function may read");
        }
        try (ResponseInputStream<GetObjectResponse> in = client().getObject(b -> b.bucket(bucket).key(pointer.key()))) {
            Long size = in.response().contentLength();
            if (size != null && size > maxBytes) {
                in.abort();
                throw tooLarge(size);
            }
            return new String(readAtMost(in, maxBytes), StandardCharsets.UTF_8);
        } catch (NoSuchKeyException e) {
            throw new Failure(Reason.PAYLOAD_MISSING, "the offloaded body's object is gone from bucket " + bucket
                    + " (NoSuchKey): deleted, expired by a lifecycle rule, or never written");
        } catch (S3Exception e) {
            if (e.statusCode() == 404) throw new Failure(Reason.PAYLOAD_MISSING, "the offloaded body's object is gone from bucket " + bucket + " (404)");
            throw new Failure(Reason.PAYLOAD_UNAVAILABLE, "S3 GetObject in bucket " + bucket + " failed: " + e.statusCode() + " " + errorCode(e));
        } catch (SdkException e) {
            throw new Failure(Reason.PAYLOAD_UNAVAILABLE, "S3 GetObject in bucket " + bucket + " failed: " + e.getClass().getSimpleName());
        } catch (IOException e) {
            throw new Failure(Reason.PAYLOAD_UNAVAILABLE, "reading the offloaded body from bucket " + bucket + " failed: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void delete(Pointer pointer) {
        try {
            client().deleteObject(b -> b.bucket(pointer.bucket()).key(pointer.key()));
        } catch (S3Exception e) {
            deleteFailed.accept("S3 DeleteObject in bucket " + pointer.bucket() + " failed: " + e.statusCode() + " " + errorCode(e));
        } catch (SdkException e) {
            deleteFailed.accept("S3 DeleteObject in bucket " + pointer.bucket() + " failed: " + e.getClass().getSimpleName());
        }
    }

    private Failure tooLarge(long size) {
        return new Failure(Reason.PAYLOAD_TOO_LARGE, "the offloaded body is " + size + " bytes, over PAYLOAD_MAX_BYTES (" + maxBytes
                + "); not fetched");
    }

    /** The object's bytes; one without a length that grows past the limit is too large all the same. */
    private byte[] readAtMost(InputStream in, long limit) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (bytes.length > limit) throw tooLarge(bytes.length);
        return bytes;
    }

    private static String errorCode(S3Exception e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    private S3Client client() {
        S3Client c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) client = clients.get();
                c = client;
            }
        }
        return c;
    }
}
