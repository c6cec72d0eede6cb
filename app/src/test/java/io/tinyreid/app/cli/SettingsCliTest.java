package io.tinyreid.app.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.tinyreid.app.store.DataDirectory;
import io.tinyreid.app.store.Household;
import picocli.CommandLine;

/** {@code tinyreid settings}: values are checked before they are kept, refusals change nothing, secrets stay hidden. */
class SettingsCliTest {
    @TempDir Path tmp;

    record Run(int code, String out, String err) {}

    Run settings(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new TinyReidCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 2];
        all[0] = "settings";
        System.arraycopy(args, 0, all, 1, args.length);
        all[all.length - 1] = "--data-dir=" + tmp.resolve("home");
        return new Run(cl.execute(all), out.toString(), err.toString());
    }

    Map<String, String> stored() {
        try (Household h = Household.open(new DataDirectory(tmp.resolve("home")))) {
            return h.settings().all();
        }
    }

    @Test
    void notificationsAreSetCheckedAndListedWithoutSecrets() {
        assertEquals(0, settings("set", "mqtt.host", "broker.lan").code());
        assertEquals(0, settings("set", "mqtt.password", "hunter22").code());
        Run port = settings("set", "mqtt.port", "99999");
        assertEquals(1, port.code());
        assertEquals("error: mqtt.port must be 1..65535, not 99999; mqtt.port is unchanged", port.err().strip());
        Run device = settings("set", "mqtt.device-id", "Front Door");
        assertEquals(1, device.code());
        assertTrue(device.err().startsWith("error: mqtt.device-id must be 1-32 characters"), device.err());
        Run hook = settings("set", "webhook.url", "file:///etc/passwd");
        assertEquals(1, hook.code());
        assertTrue(hook.err().contains("webhook.url must be an http:// or https:// URL"), hook.err());
        Run cap = settings("set", "strangers.cap", "lots");
        assertEquals("error: strangers.cap must be a whole number, not 'lots'; strangers.cap is unchanged", cap.err().strip());
        Run unknown = settings("set", "model", "dlib-resnet");
        assertTrue(unknown.err().startsWith("error: unknown setting 'model'"), unknown.err());
        assertEquals(Map.of("mqtt.host", "broker.lan", "mqtt.password", "hunter22"), stored(), "refusals changed nothing");

        Run list = settings("list");
        assertEquals(0, list.code());
        assertTrue(list.out().matches("(?s).*mqtt\\.host\\s+broker\\.lan.*"), list.out());
        assertTrue(list.out().contains("(hidden)") && !list.out().contains("hunter22"), list.out());
        assertTrue(list.out().matches("(?s).*webhook\\.url\\s+-\\s+POST every event here.*"), "unset keys are listed too");

        assertEquals(0, settings("set", "mqtt.port", "18830").code());
        assertEquals(0, settings("unset", "mqtt.password").code());
        assertEquals(Map.of("mqtt.host", "broker.lan", "mqtt.port", "18830"), stored());
    }
}
