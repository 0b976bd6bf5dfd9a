/**
 * The storage engine: {@link io.cojson.storage.engine.CoValueStorage} is the contract, {@link
 * io.cojson.storage.engine.MapDbStorage} runs every write inline, {@link
 * io.cojson.storage.engine.AsyncMapDbStorage} through one ordered bounded queue. {@link
 * io.cojson.storage.engine.NodePersistence} connects a {@code LocalNode}; {@link
 * io.cojson.storage.engine.IntegrityCheck} re-verifies a directory. It trades in the core's internal
 * content pieces, so the module exports it only to cojson's sync and tools modules.
 */
package io.cojson.storage.engine;
