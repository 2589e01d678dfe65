/* PROCMAP_QUERY (Linux 6.11+, include/uapi/linux/fs.h), declared here for older headers. */
#ifndef SHMTOOLS_PROCMAP_QUERY_H
#define SHMTOOLS_PROCMAP_QUERY_H
#include <stdint.h>
#include <sys/ioctl.h>

struct procmap_query {
    uint64_t size, query_flags, query_addr, vma_start, vma_end, vma_flags, vma_page_size, vma_offset, inode;
    uint32_t dev_major, dev_minor, vma_name_size, build_id_size;
    uint64_t vma_name_addr, build_id_addr;
};
#define PROCMAP_QUERY _IOWR('f', 17, struct procmap_query)
#define QUERY_SHARED 0x08
#define COVERING_OR_NEXT_VMA 0x10
#define FILE_BACKED_VMA 0x20

/* One query at addr with flags (and the mapping's path into name, when name_size > 0): ioctl's result. */
static inline int procmap_ask(int fd, uint64_t addr, uint64_t flags, char *name, uint32_t name_size, struct procmap_query *q)
{
    *q = (struct procmap_query){ .size = sizeof *q, .query_flags = flags, .query_addr = addr,
                                 .vma_name_size = name_size, .vma_name_addr = (uint64_t)(uintptr_t)name };
    return ioctl(fd, PROCMAP_QUERY, q);
}
#endif
