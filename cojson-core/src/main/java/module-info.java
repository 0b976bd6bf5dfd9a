/**
 * cojson's core: encodings, crypto, stable JSON, IDs, session logs, CoValues, groups, accounts and
 * the local node, without I/O. Apps use the typed values ({@code io.cojson.core.values}) and the
 * value types they name; everything else is exported only to cojson's own storage and sync modules
 * (and, for the benchmarks and the protocol-level client, to its tools module).
 */
module io.cojson.core {
    requires org.bouncycastle.provider;
    requires com.fasterxml.jackson.core;
    requires org.slf4j;
    requires com.ibm.icu;
    requires transitive lazysodium.java; // CryptoProviders.libsodium(Sodium) takes an app's binding (Android)
    requires com.sun.jna;

    exports io.cojson.core.values;
    exports io.cojson.core.ids;
    exports io.cojson.core.json;
    exports io.cojson.core.crypto;
    exports io.cojson.core.encoding;
    exports io.cojson.core.header;
    exports io.cojson.core.knownstate;

    exports io.cojson.core.crypto.internal to io.cojson.storage, io.cojson.sync;
    exports io.cojson.core.content to io.cojson.storage, io.cojson.sync, io.cojson.tools;
    exports io.cojson.core.covalue to io.cojson.storage, io.cojson.sync, io.cojson.tools;
    exports io.cojson.core.groups to io.cojson.storage, io.cojson.sync, io.cojson.tools;
    exports io.cojson.core.internal to io.cojson.storage, io.cojson.sync;
    exports io.cojson.core.json.internal to io.cojson.storage, io.cojson.sync;
    exports io.cojson.core.node to io.cojson.storage, io.cojson.sync, io.cojson.tools;
    exports io.cojson.core.session to io.cojson.storage, io.cojson.sync, io.cojson.tools;
    exports io.cojson.core.values.internal to io.cojson.storage, io.cojson.sync, io.cojson.tools;
}
