package io.cojson.client;

/**
 * {@link CojsonClient#createAccountWithoutSwitching} made and stored the account, but not every
 * sync server confirmed it in time: {@link #created()} still holds its credentials to save (it
 * can log in from this client's storage, and uploads once logged in with a server reachable).
 */
public final class AccountNotUploadedException extends CojsonClientException {
    private static final long serialVersionUID = 1L;
    private final transient CreatedAccount created;

    public AccountNotUploadedException(String message, CreatedAccount created, Throwable cause) {
        super(message, cause);
        this.created = created;
    }

    public CreatedAccount created() {
        return created;
    }
}
