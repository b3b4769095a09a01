/*
 * A PKCS#11 module for tests that forwards to a real one (SoftHSM2) and fails or delays chosen calls, so the
 * agent's handling of USB-Key faults is tested at the real PKCS#11 boundary, loaded as a vendor module would be.
 *
 * Environment (read on every call, so a test changes the plan while the agent runs):
 *   SICERT_FAULT_TARGET  module to forward to (default /usr/lib/softhsm/libsofthsm2.so)
 *   SICERT_FAULT_PLAN    plan file; one rule a line: `C_Name <rv> [count=N] [delay_ms=M] [after=K]`, rv in hex
 *                        (0x32) or decimal; rv 0 only delays. Without count a rule holds while it is in the file;
 *                        with count it fails the next N calls after the file last changed; with after it lets
 *                        the first K calls through first. `#` starts a comment.
 *   SICERT_FAULT_TRACE   file that gets `C_Name <rv>` appended for every wrapped call (what the module answered),
 *                        and `C_Name delaying` when a delay starts (a test waits for it to kill the agent mid-call).
 *
 * PIN locks (SoftHSM2 counts nothing and never locks; USB-Keys lock after a few wrong PINs). Plan lines:
 *   lock_user N          the user PIN locks after N wrong PINs in a row (C_Login as user, C_SetPIN): the token's
 *                        flags show COUNT_LOW, FINAL_TRY and LOCKED as a USB-Key's would, a locked PIN answers
 *                        CKR_PIN_LOCKED without reaching SoftHSM2, and a successful C_InitPIN (the SO's reset) unlocks it
 *   lock_so N            the same for the security officer's PIN (C_Login as SO)
 *   must_change          the token asks for its user PIN to be changed (CKF_USER_PIN_TO_BE_CHANGED) until a C_SetPIN
 * The counts start afresh whenever the plan changes.
 *
 * Built by the tests with the system compiler (`cc -shared -fPIC`). The few PKCS#11 types it needs are declared
 * here so no header package is required: every wrapped function takes only CK_ULONGs and pointers.
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef unsigned long CK_ULONG;
typedef CK_ULONG CK_RV;
typedef void *PTR;

/* CK_FUNCTION_LIST: a version, then 68 function pointers in the order of PKCS#11 v2.40 §5. */
#define FUNCTION_COUNT 68
typedef struct {
  unsigned char major, minor;
  void *fns[FUNCTION_COUNT];
} FunctionList;

#define CKR_GENERAL_ERROR 0x05UL
#define MAX_RULES 32
#define MAX_PLAN 8192

static FunctionList real_list, shim_list;
static FunctionList *real;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char last_plan[MAX_PLAN];
static size_t last_plan_len = (size_t)-1;
static unsigned long used[MAX_RULES], passed[MAX_RULES];
/* PIN-lock emulation: wrong PINs in a row, and whether the PIN must still be changed; reset with the plan. */
static unsigned long user_fails, so_fails, pin_changed;

/* Reads the plan file; a change of content resets the `count=` budgets. Returns the length, or 0. */
static size_t read_plan(char *buf) {
  const char *path = getenv("SICERT_FAULT_PLAN");
  if (!path || !*path) return 0;
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  ssize_t n = read(fd, buf, MAX_PLAN - 1);
  close(fd);
  if (n <= 0) n = 0;
  buf[n] = 0;
  if ((size_t)n != last_plan_len || memcmp(buf, last_plan, (size_t)n) != 0) {
    memcpy(last_plan, buf, (size_t)n);
    last_plan_len = (size_t)n;
    memset(used, 0, sizeof used);
    memset(passed, 0, sizeof passed);
    user_fails = so_fails = pin_changed = 0;
  }
  return (size_t)n;
}

/* The fault for a call to `name`: its rv (0 = forward) and a delay in ms. */
static CK_RV fault(const char *name, unsigned long *delay_ms) {
  char buf[MAX_PLAN];
  CK_RV rv = 0;
  *delay_ms = 0;
  pthread_mutex_lock(&lock);
  if (read_plan(buf) > 0) {
    int rule = 0;
    char *save = NULL;
    for (char *line = strtok_r(buf, "\n", &save); line && rule < MAX_RULES; line = strtok_r(NULL, "\n", &save), rule++) {
      char fn[64] = {0}, opt1[64] = {0}, opt2[64] = {0}, opt3[64] = {0};
      char code[32] = {0};
      if (line[0] == '#') continue;
      int fields = sscanf(line, "%63s %31s %63s %63s %63s", fn, code, opt1, opt2, opt3);
      if (fields < 2 || strcmp(fn, name) != 0) continue;
      unsigned long count = 0, delay = 0, after = 0;
      for (int i = 0; i < 3; i++) {
        const char *opt = i == 0 ? opt1 : i == 1 ? opt2 : opt3;
        if (strncmp(opt, "count=", 6) == 0) count = strtoul(opt + 6, NULL, 10);
        if (strncmp(opt, "delay_ms=", 9) == 0) delay = strtoul(opt + 9, NULL, 10);
        if (strncmp(opt, "after=", 6) == 0) after = strtoul(opt + 6, NULL, 10);
      }
      if (passed[rule] < after) {
        passed[rule]++;
        continue;
      }
      if (count != 0 && used[rule] >= count) continue;
      used[rule]++;
      rv = strtoul(code, NULL, 0);
      *delay_ms = delay;
      break;
    }
  }
  pthread_mutex_unlock(&lock);
  return rv;
}

/* Appends `name what` to the trace file: `what` is the rv answered, or `delaying` before a delay starts. */
static void trace(const char *name, const char *what) {
  const char *path = getenv("SICERT_FAULT_TRACE");
  if (!path || !*path) return;
  int fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600);
  if (fd < 0) return;
  char line[96];
  int n = snprintf(line, sizeof line, "%s %s\n", name, what);
  if (n > 0) (void)!write(fd, line, (size_t)n);
  close(fd);
}

static void sleep_ms(unsigned long ms) {
  struct timespec t = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
  while (nanosleep(&t, &t) != 0) {
  }
}

/* One wrapper per faultable function: consult the plan, then forward through the real module's list. */
#define WRAP(index, name, params, args)                                      \
  static CK_RV w_##name params {                                             \
    unsigned long delay;                                                     \
    CK_RV rv = fault(#name, &delay);                                         \
    char answer[24];                                                         \
    if (delay) {                                                             \
      trace(#name, "delaying");                                              \
      sleep_ms(delay);                                                       \
    }                                                                        \
    if (rv == 0) rv = ((CK_RV(*) params)real->fns[index]) args;              \
    snprintf(answer, sizeof answer, "0x%lx", rv);                            \
    trace(#name, answer);                                                    \
    return rv;                                                               \
  }

WRAP(1, C_Finalize, (PTR reserved), (reserved))
WRAP(4, C_GetSlotList, (unsigned char present, CK_ULONG *list, CK_ULONG *count), (present, list, count))
WRAP(6, C_GetTokenInfo, (CK_ULONG slot, PTR info), (slot, info))
WRAP(9, C_InitToken, (CK_ULONG slot, unsigned char *pin, CK_ULONG len, unsigned char *label), (slot, pin, len, label))
WRAP(10, C_InitPIN, (CK_ULONG session, unsigned char *pin, CK_ULONG len), (session, pin, len))
WRAP(11, C_SetPIN, (CK_ULONG session, unsigned char *old, CK_ULONG oldlen, unsigned char *pin, CK_ULONG len), (session, old, oldlen, pin, len))
WRAP(12, C_OpenSession, (CK_ULONG slot, CK_ULONG flags, PTR app, PTR notify, CK_ULONG *session), (slot, flags, app, notify, session))
WRAP(13, C_CloseSession, (CK_ULONG session), (session))
WRAP(15, C_GetSessionInfo, (CK_ULONG session, PTR info), (session, info))
WRAP(18, C_Login, (CK_ULONG session, CK_ULONG user, unsigned char *pin, CK_ULONG len), (session, user, pin, len))
WRAP(19, C_Logout, (CK_ULONG session), (session))
WRAP(20, C_CreateObject, (CK_ULONG session, PTR tmpl, CK_ULONG count, CK_ULONG *object), (session, tmpl, count, object))
WRAP(22, C_DestroyObject, (CK_ULONG session, CK_ULONG object), (session, object))
WRAP(24, C_GetAttributeValue, (CK_ULONG session, CK_ULONG object, PTR tmpl, CK_ULONG count), (session, object, tmpl, count))
WRAP(25, C_SetAttributeValue, (CK_ULONG session, CK_ULONG object, PTR tmpl, CK_ULONG count), (session, object, tmpl, count))
WRAP(26, C_FindObjectsInit, (CK_ULONG session, PTR tmpl, CK_ULONG count), (session, tmpl, count))
WRAP(27, C_FindObjects, (CK_ULONG session, CK_ULONG *objects, CK_ULONG max, CK_ULONG *count), (session, objects, max, count))
WRAP(28, C_FindObjectsFinal, (CK_ULONG session), (session))
WRAP(42, C_SignInit, (CK_ULONG session, PTR mechanism, CK_ULONG key), (session, mechanism, key))
WRAP(43, C_Sign, (CK_ULONG session, unsigned char *data, CK_ULONG len, unsigned char *sig, CK_ULONG *siglen), (session, data, len, sig, siglen))
WRAP(59, C_GenerateKeyPair, (CK_ULONG session, PTR mechanism, PTR pub, CK_ULONG pubc, PTR priv, CK_ULONG privc, CK_ULONG *hpub, CK_ULONG *hpriv), (session, mechanism, pub, pubc, priv, privc, hpub, hpriv))

/* ---- PIN-lock emulation over the forwarded calls ---- */

#define CKR_PIN_INCORRECT 0xa0UL
#define CKR_PIN_LOCKED 0xa4UL
#define CKU_SO 0UL
#define CKU_USER 1UL
#define CKF_USER_PIN_COUNT_LOW 0x10000UL
#define CKF_USER_PIN_FINAL_TRY 0x20000UL
#define CKF_USER_PIN_LOCKED 0x40000UL
#define CKF_USER_PIN_TO_BE_CHANGED 0x80000UL
#define CKF_SO_PIN_COUNT_LOW 0x100000UL
#define CKF_SO_PIN_FINAL_TRY 0x200000UL
#define CKF_SO_PIN_LOCKED 0x400000UL
/* CK_TOKEN_INFO: label[32], manufacturerID[32], model[16], serialNumber[16], then CK_FLAGS flags. */
#define TOKEN_INFO_FLAGS_OFFSET 96

/* The emulated limits in the plan: `lock_user N`, `lock_so N` (0 = not emulated), `must_change` (1 = asked). */
static void emulation(unsigned long *user_limit, unsigned long *so_limit, int *must_change) {
  char buf[MAX_PLAN];
  *user_limit = *so_limit = 0;
  *must_change = 0;
  if (read_plan(buf) == 0) return;
  char *save = NULL;
  for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    unsigned long n;
    if (sscanf(line, "lock_user %lu", &n) == 1) *user_limit = n;
    if (sscanf(line, "lock_so %lu", &n) == 1) *so_limit = n;
    if (strncmp(line, "must_change", 11) == 0) *must_change = 1;
  }
}

/* Counts the outcome of one PIN try against `*fails` (0 resets it, PIN_INCORRECT adds one). */
static void count(unsigned long *fails, CK_RV rv) {
  if (rv == 0) *fails = 0;
  if (rv == CKR_PIN_INCORRECT) (*fails)++;
}

static CK_RV e_C_Login(CK_ULONG session, CK_ULONG user, unsigned char *pin, CK_ULONG len) {
  unsigned long user_limit, so_limit;
  int must_change;
  pthread_mutex_lock(&lock);
  emulation(&user_limit, &so_limit, &must_change);
  unsigned long limit = user == CKU_SO ? so_limit : user == CKU_USER ? user_limit : 0;
  unsigned long *fails = user == CKU_SO ? &so_fails : &user_fails;
  int locked = limit && *fails >= limit;
  pthread_mutex_unlock(&lock);
  if (locked) {
    trace("C_Login", "0xa4");
    return CKR_PIN_LOCKED;
  }
  CK_RV rv = w_C_Login(session, user, pin, len);
  pthread_mutex_lock(&lock);
  if (limit) count(fails, rv);
  pthread_mutex_unlock(&lock);
  return rv;
}

static CK_RV e_C_SetPIN(CK_ULONG session, unsigned char *old, CK_ULONG oldlen, unsigned char *pin, CK_ULONG len) {
  unsigned long user_limit, so_limit;
  int must_change;
  pthread_mutex_lock(&lock);
  emulation(&user_limit, &so_limit, &must_change);
  int locked = user_limit && user_fails >= user_limit;
  pthread_mutex_unlock(&lock);
  if (locked) {
    trace("C_SetPIN", "0xa4");
    return CKR_PIN_LOCKED;
  }
  CK_RV rv = w_C_SetPIN(session, old, oldlen, pin, len);
  pthread_mutex_lock(&lock);
  if (user_limit) count(&user_fails, rv);
  if (rv == 0) pin_changed = 1;
  pthread_mutex_unlock(&lock);
  return rv;
}

static CK_RV e_C_InitPIN(CK_ULONG session, unsigned char *pin, CK_ULONG len) {
  CK_RV rv = w_C_InitPIN(session, pin, len);
  pthread_mutex_lock(&lock);
  if (rv == 0) user_fails = 0;
  pthread_mutex_unlock(&lock);
  return rv;
}

/* The PIN flags a USB-Key with these limits would show, over SoftHSM2's own. */
static CK_RV e_C_GetTokenInfo(CK_ULONG slot, PTR info) {
  CK_RV rv = w_C_GetTokenInfo(slot, info);
  if (rv != 0 || !info) return rv;
  unsigned long user_limit, so_limit;
  int must_change;
  pthread_mutex_lock(&lock);
  emulation(&user_limit, &so_limit, &must_change);
  CK_ULONG *flags = (CK_ULONG *)((unsigned char *)info + TOKEN_INFO_FLAGS_OFFSET);
  if (user_limit) {
    *flags &= ~(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED);
    if (user_fails > 0) *flags |= CKF_USER_PIN_COUNT_LOW;
    if (user_fails + 1 == user_limit) *flags |= CKF_USER_PIN_FINAL_TRY;
    if (user_fails >= user_limit) *flags |= CKF_USER_PIN_LOCKED;
  }
  if (so_limit) {
    *flags &= ~(CKF_SO_PIN_COUNT_LOW | CKF_SO_PIN_FINAL_TRY | CKF_SO_PIN_LOCKED);
    if (so_fails > 0) *flags |= CKF_SO_PIN_COUNT_LOW;
    if (so_fails + 1 == so_limit) *flags |= CKF_SO_PIN_FINAL_TRY;
    if (so_fails >= so_limit) *flags |= CKF_SO_PIN_LOCKED;
  }
  if (must_change && !pin_changed) *flags |= CKF_USER_PIN_TO_BE_CHANGED;
  pthread_mutex_unlock(&lock);
  return rv;
}

CK_RV C_GetFunctionList(FunctionList **out);

CK_RV C_GetFunctionList(FunctionList **out) {
  if (!out) return 0x07UL; /* CKR_ARGUMENTS_BAD */
  pthread_mutex_lock(&lock);
  if (!real) {
    const char *target = getenv("SICERT_FAULT_TARGET");
    void *lib = dlopen(target && *target ? target : "/usr/lib/softhsm/libsofthsm2.so", RTLD_NOW | RTLD_LOCAL);
    CK_RV (*get)(FunctionList **) = lib ? (CK_RV(*)(FunctionList **))dlsym(lib, "C_GetFunctionList") : NULL;
    FunctionList *list = NULL;
    if (!get || get(&list) != 0 || !list) {
      pthread_mutex_unlock(&lock);
      return CKR_GENERAL_ERROR;
    }
    real_list = *list;
    real = &real_list;
    shim_list = real_list;
    shim_list.fns[3] = (void *)C_GetFunctionList;
#define SET(index, name) shim_list.fns[index] = (void *)w_##name
    SET(1, C_Finalize); SET(4, C_GetSlotList); SET(9, C_InitToken); SET(12, C_OpenSession); SET(13, C_CloseSession); SET(15, C_GetSessionInfo); SET(19, C_Logout);
    shim_list.fns[6] = (void *)e_C_GetTokenInfo;
    shim_list.fns[10] = (void *)e_C_InitPIN;
    shim_list.fns[11] = (void *)e_C_SetPIN;
    shim_list.fns[18] = (void *)e_C_Login; SET(20, C_CreateObject); SET(22, C_DestroyObject);
    SET(24, C_GetAttributeValue); SET(25, C_SetAttributeValue); SET(26, C_FindObjectsInit);
    SET(27, C_FindObjects); SET(28, C_FindObjectsFinal); SET(42, C_SignInit); SET(43, C_Sign);
    SET(59, C_GenerateKeyPair);
  }
  pthread_mutex_unlock(&lock);
  *out = &shim_list;
  return 0;
}
