package io.cojson.core.values;

/** What the latest start of a {@link BinaryCoStream} declared; {@code totalSizeBytes} may be null. */
public record BinaryInfo(String mimeType, String fileName, Long totalSizeBytes) { }
