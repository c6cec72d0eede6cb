package io.tinyreid.vision.detect;

/**
 * What a {@link FaceDetector} holds, in bytes, for a whole-device memory plan.
 *
 * @param faceCascadeBytes the packed face cascade
 * @param faceScratchBytes the face detector's working memory for its frame size
 * @param eyeCascadeBytes  the packed eye cascade (0 without eyes)
 * @param eyeScratchBytes  the eye detector's working memory (0 without eyes)
 * @param resultBytes      the caller's {@link Detections} container, when known (else 0)
 */
public record MemoryReport(int faceCascadeBytes, int faceScratchBytes, int eyeCascadeBytes, int eyeScratchBytes, int resultBytes) {
    /** Everything together. */
    public int totalBytes() {
        return faceCascadeBytes + faceScratchBytes + eyeCascadeBytes + eyeScratchBytes + resultBytes;
    }

    @Override
    public String toString() {
        return String.format("face cascade %,d B, face scratch %,d B, eye cascade %,d B, eye scratch %,d B, results %,d B, total %,d B",
                faceCascadeBytes, faceScratchBytes, eyeCascadeBytes, eyeScratchBytes, resultBytes, totalBytes());
    }
}
