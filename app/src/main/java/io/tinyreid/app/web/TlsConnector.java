package io.tinyreid.app.web;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import io.tinyreid.app.tls.TlsIdentity;

/** Jetty's HTTPS connector for the web UI (the only connector: no plain HTTP beside it). */
final class TlsConnector {
    private TlsConnector() {}

    static ServerConnector create(Server server, HttpConfiguration http, TlsIdentity identity, String host, int port) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(identity.keyStore());
        ssl.setKeyStorePassword(new String(identity.password()));
        ssl.setCertAlias(TlsIdentity.ALIAS);
        HttpConfiguration https = new HttpConfiguration(http);
        // No SNI host check: a household reaches the doorbell by IP address or a name its certificate may not list.
        https.addCustomizer(new SecureRequestCustomizer(false));
        ServerConnector c = new ServerConnector(server, ssl, new HttpConnectionFactory(https));
        c.setHost(host);
        c.setPort(port);
        return c;
    }
}
