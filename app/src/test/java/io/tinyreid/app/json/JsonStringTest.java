package io.tinyreid.app.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

import io.tinyreid.nn.importer.Json;

/** Round trips through nn's JSON parser (an independent reader) and the escapes HTML and JavaScript need. */
class JsonStringTest {
    @Test
    void everyCharacterSurvivesARoundTrip() {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x300; c++) {
            all.append(c);
        }
        all.append("\u2028\u2029 Zoë 👋 \"quoted\" back\\slash </script>");
        String s = all.toString();
        assertEquals(s, Json.parse(JsonString.quote(s)));
    }

    @Test
    void literalsNeverCloseAScriptOrBreakJavaScript() {
        String q = JsonString.quote("</script><script>alert(1)</script>\u2028\u2029");
        assertFalse(q.contains("<"), q);
        assertFalse(q.contains("\u2028") || q.contains("\u2029"), q);
        assertEquals("\"\\u003c/b\\u2028\"", JsonString.quote("</b\u2028"));
    }

    @Test
    void nullIsJsonNull() {
        assertEquals("null", JsonString.quote(null));
        assertEquals("x:null", JsonString.append(new StringBuilder("x:"), null).toString());
    }
}
