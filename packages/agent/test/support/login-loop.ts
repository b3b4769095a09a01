// Another program using the same SoftHSM2 token: logs in and out of it in a loop until killed, in its own process
// (as the benchmark's raw path or a vendor's tool does). Every C_Login makes SoftHSM2 rewrite the token's
// description (`token.object`). Reports `ready` after its first login and `logins <n>` every 50.
// Arguments: the SoftHSM2 configuration, the module, the token's label, the user PIN.
import pkcs11js from 'pkcs11js';

const [conf, module, label, pin] = process.argv.slice(2) as [string, string, string, string];
process.env.SOFTHSM2_CONF = conf;
const lib = new pkcs11js.PKCS11();
lib.load(module);
lib.C_Initialize({ flags: pkcs11js.CKF_OS_LOCKING_OK });
const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === label);
if (slot === undefined) throw new Error(`no token ${label}`);
const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
for (let logins = 1; ; logins++) {
  try {
    lib.C_Login(session, pkcs11js.CKU_USER, pin);
    lib.C_Logout(session);
  } catch {
    // SoftHSM2 fails a login that meets another process's (CKR_GENERAL_ERROR): the next one goes through
  }
  if (logins === 1) process.send?.('ready');
  if (logins % 50 === 0) process.send?.(`logins ${String(logins)}`);
}
