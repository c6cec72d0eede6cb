package io.tinyreid.app.web;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** Where the web UI can be reached: the addresses to print (and to name in its certificate). */
public final class WebAddresses {
    private WebAddresses() {}

    /**
     * For a wildcard bind ({@code 0.0.0.0}, {@code ::}): loopback, then every address of every
     * interface that is up (IPv6 link-local ones left out: a browser cannot use them without a zone).
     * For a specific bind: that address only.
     */
    public static List<InetAddress> of(String bindHost) {
        InetAddress bound;
        try {
            bound = InetAddress.getByName(bindHost);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host '" + bindHost + "'", e);
        }
        if (!bound.isAnyLocalAddress()) {
            return List.of(bound);
        }
        List<InetAddress> out = new ArrayList<>();
        out.add(InetAddress.getLoopbackAddress());
        try {
            for (NetworkInterface n : NetworkInterface.networkInterfaces().toList()) {
                if (!n.isUp() || n.isLoopback()) {
                    continue;
                }
                for (InetAddress a : n.inetAddresses().toList()) {
                    if (!(a instanceof Inet6Address && a.isLinkLocalAddress()) && !out.contains(a)) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            // No interface list (a locked-down container): loopback is still true.
        }
        return List.copyOf(out);
    }

    /** The URL of the web UI at {@code address}. */
    public static String url(boolean tls, InetAddress address, int port) {
        String host = address.getHostAddress();
        int zone = host.indexOf('%');
        if (zone >= 0) {
            host = host.substring(0, zone);
        }
        if (address instanceof Inet6Address) {
            host = "[" + host + "]";
        }
        return (tls ? "https://" : "http://") + host + ":" + port + "/";
    }
}
