using System.Buffers;

namespace ShmTools.Core.Threading;

/// <summary>
/// Pools for a scan's large working arrays (sort keys, index arrays). They are shared by every
/// thread rather than per thread, as the shared pool keeps them: a scan's workers are new threads,
/// and what a thread returns to its own slot would be lost with it, leaving every scan to allocate
/// these arrays on the large-object heap again (and so to bring on full collections).
/// </summary>
internal static class ScanBuffers<T>
{
    public static readonly ArrayPool<T> Pool = ArrayPool<T>.Create();
}
