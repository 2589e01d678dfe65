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
#endif
