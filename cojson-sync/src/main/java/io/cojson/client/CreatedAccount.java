package io.cojson.client;

import io.cojson.core.values.Account;

/** What {@link CojsonClient#createAccount} returns: the new account, now active, and its credentials to save. */
public record CreatedAccount(Account account, Credentials credentials) {}
