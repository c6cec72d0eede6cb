package io.tinyreid.app.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.tinyreid.app.gallery.PhotoInput;

/**
 * Reads uploaded photos within limits. File names are used only as labels in messages (cleaned,
 * shortened), never as paths; content is checked by the gallery (signature, size, dimensions).
 */
final class Uploads {
    private Uploads() {}

    static List<PhotoInput> photos(Context ctx, String field) {
        List<UploadedFile> files;
        try {
            files = ctx.uploadedFiles(field);
        } catch (Exception e) { // Jetty reports a bad or oversized multipart body as a (sneaky) ServletException
            throw unreadable(e);
        }
        List<PhotoInput> out = new ArrayList<>();
        for (UploadedFile f : files) {
            if (f.size() == 0 && (f.filename() == null || f.filename().isEmpty())) {
                continue; // the browser sends an empty part when no file was chosen
            }
            if (out.size() == WebServer.MAX_UPLOAD_FILES) {
                throw new UserError(413, "At most " + WebServer.MAX_UPLOAD_FILES + " photos at a time, please.");
            }
            if (f.size() > WebServer.MAX_UPLOAD_FILE_BYTES) {
                throw new UserError(413, label(f.filename(), out.size()) + " is larger than "
                        + (WebServer.MAX_UPLOAD_FILE_BYTES >> 20) + " MiB.");
            }
            byte[] bytes;
            try (InputStream in = f.content()) {
                bytes = in.readNBytes((int) WebServer.MAX_UPLOAD_FILE_BYTES + 1);
            } catch (IOException e) {
                throw new UserError(400, "The upload was interrupted; please try again.");
            }
            if (bytes.length > WebServer.MAX_UPLOAD_FILE_BYTES) {
                throw new UserError(413, label(f.filename(), out.size()) + " is larger than "
                        + (WebServer.MAX_UPLOAD_FILE_BYTES >> 20) + " MiB.");
            }
            out.add(new PhotoInput(label(f.filename(), out.size()), bytes));
        }
        return out;
    }

    /** Refuses an upload whose declared length is over the limit before any of it is parsed. */
    static void checkDeclaredLength(Context ctx) {
        if (ctx.req().getContentLengthLong() > WebServer.MAX_UPLOAD_REQUEST_BYTES) {
            throw tooLarge();
        }
    }

    /** The user's view of a multipart body Jetty could not read: too large, or broken. */
    static UserError unreadable(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null && all.length() < 2000; t = t.getCause()) {
            all.append(' ').append(t.getMessage());
        }
        String m = all.toString().toLowerCase(java.util.Locale.ROOT);
        if (m.contains("exceeded") || m.contains("exceeds") || m.contains("too large") || m.contains("max file")
                || m.contains("max request")) {
            return tooLarge();
        }
        return new UserError(400, "The upload could not be read; please try again.");
    }

    private static UserError tooLarge() {
        return new UserError(413, "That upload is too large: at most " + (WebServer.MAX_UPLOAD_FILE_BYTES >> 20)
                + " MiB per photo and " + (WebServer.MAX_UPLOAD_REQUEST_BYTES >> 20) + " MiB in all.");
    }

    /** A file name fit for a message: last path segment, printable, at most 60 characters. */
    static String label(String filename, int index) {
        if (filename == null || filename.isBlank()) {
            return "photo " + (index + 1);
        }
        String s = filename.replace('\\', '/');
        s = s.substring(s.lastIndexOf('/') + 1);
        StringBuilder sb = new StringBuilder();
        s.codePoints().filter(c -> !Character.isISOControl(c)).limit(60).forEach(sb::appendCodePoint);
        return sb.isEmpty() ? "photo " + (index + 1) : sb.toString();
    }
}
