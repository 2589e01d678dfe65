/* A stand-in libnvidia-ml for tests: the real entry points and struct layouts, canned data.
 * Build variants (gcc -shared -fPIC -DSTRIDE=24|32 [-DINSUFFICIENT_ONCE] [-DNA_MEMORY]):
 *   STRIDE 24: process info of 24 bytes (_v3 before R535); 32: R535 layout, and it exports
 *   nvmlDeviceGetConfComputeMemSizeInfo as R535 drivers do.
 *   INSUFFICIENT_ONCE: the first sized process-list call answers INSUFFICIENT_SIZE (a process appeared).
 *   NA_MEMORY: the second process reports usedGpuMemory = NOT_AVAILABLE.
 *   HIDE_R535_SYMBOLS: a 32-byte layout without the symbols that usually betray it.
 * PIDS are given at build time: -DPID_A=... -DPID_B=... */
#include <stdint.h>
#include <string.h>

#ifndef STRIDE
#define STRIDE 24
#endif
#ifndef PID_A
#define PID_A 1
#endif
#ifndef PID_B
#define PID_B 2
#endif

typedef struct { int index; } device_t;
static device_t devices[2] = {{0}, {1}};
static int initialised;
#ifdef INSUFFICIENT_ONCE
static int list_calls;
#endif

typedef struct { unsigned long long total, free, used; } nvmlMemory_t;
typedef struct { unsigned int version; unsigned long long total, reserved, free, used; } nvmlMemory_v2_t;
typedef struct {
    unsigned int pid;
    unsigned long long usedGpuMemory;
    unsigned int gpuInstanceId, computeInstanceId;
#if STRIDE == 32
    unsigned long long usedGpuCcProtectedMemory;
#endif
} nvmlProcessInfo_t;

_Static_assert(sizeof(nvmlMemory_t) == 24, "nvmlMemory_t");
_Static_assert(sizeof(nvmlMemory_v2_t) == 40, "nvmlMemory_v2_t");
_Static_assert(sizeof(nvmlProcessInfo_t) == STRIDE, "process info stride");

int nvmlInit_v2(void) { initialised++; return 0; }
int nvmlShutdown(void) { if (!initialised) return 1; initialised--; return 0; }
const char *nvmlErrorString(int r)
{
    switch (r) {
    case 0: return "Success";
    case 1: return "Uninitialized";
    case 2: return "Invalid Argument";
    case 7: return "Insufficient Size";
    default: return "Unknown Error";
    }
}
int nvmlSystemGetDriverVersion(char *buf, unsigned int len) { strncpy(buf, "535.104.05", len); return 0; }
int nvmlDeviceGetCount_v2(unsigned int *count) { if (!initialised) return 1; *count = 2; return 0; }
int nvmlDeviceGetHandleByIndex_v2(unsigned int i, device_t **dev)
{
    if (!initialised) return 1;
    if (i >= 2) return 2;
    *dev = &devices[i];
    return 0;
}
int nvmlDeviceGetName(device_t *d, char *buf, unsigned int len)
{
    strncpy(buf, d->index == 0 ? "NVIDIA H100 80GB HBM3" : "NVIDIA A100-SXM4-40GB", len);
    return 0;
}
int nvmlDeviceGetUUID(device_t *d, char *buf, unsigned int len)
{
    strncpy(buf, d->index == 0 ? "GPU-11111111-2222-3333-4444-555555555555" : "GPU-66666666-7777-8888-9999-000000000000", len);
    return 0;
}
int nvmlDeviceGetMemoryInfo(device_t *d, nvmlMemory_t *m)
{
    m->total = d->index == 0 ? 85899345920ULL : 42949672960ULL;
    m->used = d->index == 0 ? 3221225472ULL : 0;
    m->free = m->total - m->used;
    return 0;
}
int nvmlDeviceGetMemoryInfo_v2(device_t *d, nvmlMemory_v2_t *m)
{
    if (m->version != (40u | (2u << 24))) return 2;
    nvmlMemory_t v1;
    nvmlDeviceGetMemoryInfo(d, &v1);
    m->total = v1.total; m->used = v1.used; m->free = v1.free - 536870912ULL; m->reserved = 536870912ULL;
    return 0;
}
int nvmlDeviceGetMigMode(device_t *d, unsigned int *current, unsigned int *pending)
{
    if (d->index == 1) return 3; /* NOT_SUPPORTED */
    *current = 1; *pending = 1;
    return 0;
}
int nvmlSystemGetProcessName(unsigned int pid, char *buf, unsigned int len)
{
    if (pid == PID_B) { strncpy(buf, "python3 -m train", len); return 0; }
    return 6; /* NOT_FOUND */
}

static int fill(device_t *d, unsigned int *count, nvmlProcessInfo_t *infos, int graphics)
{
    unsigned int n = d->index == 0 ? (graphics ? 1 : 2) : 0;
    if (infos == NULL || *count < n) { *count = n; return n == 0 ? 0 : 7; }
#ifdef INSUFFICIENT_ONCE
    if (!graphics && list_calls++ == 0) { *count = n + 1; return 7; }
#endif
    unsigned int pids[2] = {PID_A, PID_B};
    for (unsigned int i = 0; i < n; i++) {
        memset(&infos[i], 0, sizeof infos[i]);
        infos[i].pid = graphics ? PID_A : pids[i];
        infos[i].usedGpuMemory = 1073741824ULL * (i + 1);
#ifdef NA_MEMORY
        if (i == 1) infos[i].usedGpuMemory = 0xFFFFFFFFFFFFFFFFULL;
#endif
        infos[i].gpuInstanceId = 0xFFFFFFFF;
        infos[i].computeInstanceId = 0xFFFFFFFF;
    }
    *count = n;
    return 0;
}
int nvmlDeviceGetComputeRunningProcesses_v3(device_t *d, unsigned int *c, nvmlProcessInfo_t *p) { return fill(d, c, p, 0); }
int nvmlDeviceGetGraphicsRunningProcesses_v3(device_t *d, unsigned int *c, nvmlProcessInfo_t *p) { return fill(d, c, p, 1); }
#if STRIDE == 32 && !defined(HIDE_R535_SYMBOLS)
int nvmlDeviceGetConfComputeMemSizeInfo(device_t *d, void *info) { (void)d; (void)info; return 3; }
#endif
