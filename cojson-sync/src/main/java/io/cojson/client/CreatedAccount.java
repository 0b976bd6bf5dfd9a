package io.cojson.client;

import io.cojson.core.ids.SessionID;
import io.cojson.core.values.Account;

/** What {@link CojsonClient#createAccount} returns: the new account, its credentials to save, and the session it was created in. */
public record CreatedAccount(Account account, Credentials credentials, SessionID sessionID) {}
