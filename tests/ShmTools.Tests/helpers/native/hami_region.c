/* Writes HAMi-core shared-region files for tests, from struct declarations that follow the
 * documented layouts. Usage: hami_region v0|v1 PATH OWNER_PID PID:HOSTPID[,PID:HOSTPID...]
 * Device 0 is limited to 4 GiB; slot i uses (i+1) GiB of data, 300 MiB of context, 20 MiB of modules. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEVICES 16
#define SLOTS 1024
#define MAGIC 19920718

typedef struct { uint64_t context_size, module_size, data_size, offset, total, unused[3]; } usage_v1;
typedef struct { uint64_t context_size, module_size, data_size, offset, total; } usage_v0;
typedef struct { uint64_t a, b, c, d, e, f; } util_v1;
typedef struct { uint64_t a, b, c; } util_v0;

typedef struct {
    int32_t pid, hostpid;
    usage_v1 used[DEVICES];
    uint64_t monitorused[DEVICES];
    util_v1 device_util[DEVICES];
    int32_t status;
    int32_t pad;
    uint64_t seqlock;
    uint64_t tail[2];
} slot_v1;

typedef struct {
    int32_t pid, hostpid;
    usage_v0 used[DEVICES];
    uint64_t monitorused[DEVICES];
    util_v0 device_util[DEVICES];
    int32_t status;
    int32_t pad;
} slot_v0;

typedef struct {
    int32_t initialized_flag;
    uint32_t major_version, minor_version;
    int32_t sm_init_flag;
    uint64_t owner_pid;
    unsigned char sem[32];
    uint64_t device_num;
    char uuids[DEVICES][96];
    uint64_t limit[DEVICES];
    uint64_t sm_limit[DEVICES];
    slot_v1 procs[SLOTS];
    int32_t proc_num;
    unsigned char tail[52];
} region_v1;

typedef struct {
    int32_t initialized_flag;
    int32_t sm_init_flag;
    uint64_t owner_pid;
    unsigned char sem[32];
    uint64_t device_num;
    char uuids[DEVICES][96];
    uint64_t limit[DEVICES];
    uint64_t sm_limit[DEVICES];
    slot_v0 procs[SLOTS];
    int32_t proc_num;
    int32_t pad[3];
} region_v0;

_Static_assert(sizeof(slot_v1) == 1960, "slot v1");
_Static_assert(__builtin_offsetof(slot_v1, status) == 1928, "slot v1 status");
_Static_assert(__builtin_offsetof(slot_v1, seqlock) == 1936, "slot v1 seqlock");
_Static_assert(__builtin_offsetof(region_v1, procs) == 1856, "region v1 procs");
_Static_assert(__builtin_offsetof(region_v1, proc_num) == 2008896, "region v1 proc_num");
_Static_assert(sizeof(region_v1) == 2008952, "region v1 size");
_Static_assert(sizeof(slot_v0) == 1168, "slot v0");
_Static_assert(__builtin_offsetof(region_v0, procs) == 1848, "region v0 procs");
_Static_assert(__builtin_offsetof(region_v0, proc_num) == 1197880, "region v0 proc_num");
_Static_assert(sizeof(region_v0) == 1197896, "region v0 size");

#define GIB 1073741824ULL
#define MIB 1048576ULL

int main(int argc, char **argv)
{
    if (argc != 5) { fprintf(stderr, "usage: hami_region v0|v1 PATH OWNER PID:HOSTPID,...\n"); return 2; }
    int v1 = strcmp(argv[1], "v1") == 0;
    size_t size = v1 ? sizeof(region_v1) : sizeof(region_v0);
    unsigned char *mem = calloc(1, size + 1);
    region_v1 *r1 = (region_v1 *)mem;
    region_v0 *r0 = (region_v0 *)mem;
    int n = 0;
    char *list = argv[4];
    for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ","), n++) {
        int pid = 0, hostpid = 0;
        sscanf(tok, "%d:%d", &pid, &hostpid);
        if (v1) {
            slot_v1 *s = &r1->procs[n];
            s->pid = pid; s->hostpid = hostpid; s->status = 1; s->seqlock = 4;
            s->used[0].context_size = 300 * MIB; s->used[0].module_size = 20 * MIB; s->used[0].data_size = (n + 1) * GIB;
            s->used[0].total = s->used[0].context_size + s->used[0].module_size + s->used[0].data_size;
        } else {
            slot_v0 *s = &r0->procs[n];
            s->pid = pid; s->hostpid = hostpid; s->status = 1;
            s->used[0].context_size = 300 * MIB; s->used[0].module_size = 20 * MIB; s->used[0].data_size = (n + 1) * GIB;
            s->used[0].total = s->used[0].context_size + s->used[0].module_size + s->used[0].data_size;
        }
    }
    if (v1) {
        r1->initialized_flag = MAGIC; r1->major_version = 1; r1->minor_version = 2;
        r1->owner_pid = atoi(argv[3]); r1->device_num = 2;
        strcpy(r1->uuids[0], "GPU-11111111-2222-3333-4444-555555555555");
        strcpy(r1->uuids[1], "GPU-66666666-7777-8888-9999-000000000000");
        r1->limit[0] = 4 * GIB; r1->sm_limit[0] = 50;
        r1->proc_num = n;
    } else {
        r0->initialized_flag = MAGIC; r0->owner_pid = atoi(argv[3]); r0->device_num = 1;
        strcpy(r0->uuids[0], "GPU-11111111-2222-3333-4444-555555555555");
        r0->limit[0] = 4 * GIB; r0->sm_limit[0] = 50;
        r0->proc_num = n;
    }
    FILE *f = fopen(argv[2], "wb");
    if (!f || fwrite(mem, 1, size + 1, f) != size + 1) { perror(argv[2]); return 1; }
    fclose(f);
    return 0;
}
