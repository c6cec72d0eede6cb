package io.tinyreid.app.face;

import java.util.List;

/** The descriptor models TinyReID knows by id (the {@code model} setting names one). */
public final class FaceModels {
    private FaceModels() {}

    /** Every known model. */
    public static List<FaceModel> all() {
        return List.of(FaceModel.FACEREID, FaceModel.DLIB_RESNET);
    }

    /** The model with {@code id}; refuses unknown ids with the list of known ones. */
    public static FaceModel byId(String id) {
        return all().stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown model '" + id + "' (known: "
                        + String.join(", ", all().stream().map(FaceModel::id).toList()) + ")"));
    }
}
