namespace ShmTools.Core.Shm;

/// <summary>Where one scan spent its time (the listing runs alongside the /proc pass).</summary>
public sealed record InventoryTimings(TimeSpan Listing, TimeSpan ProcessPass, TimeSpan Assembly);
