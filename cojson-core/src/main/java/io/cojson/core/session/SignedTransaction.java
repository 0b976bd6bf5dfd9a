package io.cojson.core.session;

import io.cojson.core.ids.Hash;
import io.cojson.core.ids.Signature;

/** A locally written transaction with the running hash and the signature after it. */
public record SignedTransaction(int txIndex, Transaction transaction, Hash hashAfter, Signature signature) {}
