package dev.destinations.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** What a failed archive write reports: a code, never a message text (EventArchive.code). */
class EventArchiveCodeTest {

    @Test
    void aServiceError_isItsErrorCode_notItsMessage() {
        S3Exception e = (S3Exception) S3Exception.builder().message("bucket secret-bucket-name for ada@example.com")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("NoSuchBucket").build()).build();
        assertThat(EventArchive.code(e)).isEqualTo("NoSuchBucket");
    }

    @Test
    void anException_isItsClass_withoutTheMessage() {
        assertThat(EventArchive.code(new IllegalStateException("ada@example.com"))).isEqualTo("IllegalStateException");
    }

    @Test
    void anError_alsoNamesWhereItWasThrown_soALinkageFailureCanBeTraced() {
        Error e = new IncompatibleClassChangeError("ada@example.com");
        assertThat(EventArchive.code(e))
                .startsWith("IncompatibleClassChangeError at " + EventArchiveCodeTest.class.getName() + ".anError_alsoNamesWhereItWasThrown")
                .doesNotContain("ada@example.com");
    }
}
