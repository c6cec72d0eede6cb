package io.tinyreid.app.source;

/** Opens a {@link SourceSpec} (the seam where tests put scripted sources). */
@FunctionalInterface
public interface SourceOpener {
    /** Opens the source or says clearly why it cannot. */
    FrameSource open(SourceSpec spec) throws SourceException;

    /** The real thing: FFmpeg for cameras, streams and files; ImageIO for image folders. */
    SourceOpener DEFAULT = spec -> switch (spec) {
        case SourceSpec.ImageFolder f -> ImageFolderSource.open(f);
        case SourceSpec.Camera c -> FfmpegSource.open(c);
        case SourceSpec.StreamUrl s -> FfmpegSource.open(s);
        case SourceSpec.VideoFile v -> FfmpegSource.open(v);
    };
}
