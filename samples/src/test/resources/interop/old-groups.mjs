// Groups as older clients left them, written with the reference (cojson 0.20.19) for
// GroupMigrationsInteropTest:
//
//   node old-groups.mjs <interop dir> <ws://server>
//
// Creates an account and two groups through raw transactions (so that no group content, and
// hence no migration, runs here): admin, the read key revealed to the admin, readKey, and
// everyone=reader, but neither "<readKey>_for_everyone" nor "groupSealer". Prints one JSON line:
// {accountID, agentSecret, groups: [{id, readKey, keyForEveryone, groupSealer, transactions}]}
// where keyForEveryone/groupSealer are the values the §6.6 heals must write.
import { accountNode } from "./account-node.mjs";

const [dir, url] = process.argv.slice(2);
const { node, created, crypto, common, wsPeer } = await accountNode(dir, url, "old-groups");

function oldGroup() {
  const account = node.getCurrentAgent();
  const core = node.createCoValue({
    type: "comap",
    ruleset: { type: "group", initialAdmin: account.id },
    meta: null,
    ...crypto.createdNowUnique(),
  });
  const set = (key, value) => core.makeTransaction([{ op: "set", key, value }], "trusting");
  set(account.id, "admin");
  const readKey = crypto.newRandomKeySecret();
  set(`${readKey.id}_for_${account.id}`, crypto.seal({
    message: readKey.secret,
    from: account.currentSealerSecret(),
    to: account.currentSealerID(),
    nOnceMaterial: { in: core.id, tx: core.nextTransactionID() },
  }));
  set("readKey", readKey.id);
  set("everyone", "reader");
  return { core, readKey };
}

const made = [oldGroup(), oldGroup()];
await node.syncManager.waitForAllCoValuesSync(20000);
const groups = made.map(({ core, readKey }) => ({
  id: core.id,
  readKey: readKey.id,
  keyForEveryone: readKey.secret,
  groupSealer: `${readKey.id}@${crypto.groupSealerFromReadKey(readKey.secret).publicKey}`,
  transactions: Object.values(core.knownState().sessions).reduce((a, b) => a + b, 0),
}));
common.emit({ accountID: created.accountID, agentSecret: created.accountSecret, groups });
wsPeer.disable();
await node.gracefulShutdown();
process.exit(0);
