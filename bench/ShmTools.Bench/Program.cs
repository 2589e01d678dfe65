using System.Diagnostics;
using ShmTools.Core.Shm;

// Times the in-process Core inventory: a few warm-up scans, then RUNS timed scans; prints
// the median and the minimum in milliseconds, and the segment and process counts.
int runs = args.Length > 0 ? int.Parse(args[0]) : 15;
string? name = args.Length > 1 ? args[1] : null;
var query = name == null ? new ShmQuery() : new ShmQuery { Names = [name] };
var inventory = new ShmInventory();
InventoryResult last = inventory.Scan(query);
for (int i = 0; i < 3; i++) last = inventory.Scan(query);
var times = new List<double>();
for (int i = 0; i < runs; i++)
{
    var sw = Stopwatch.StartNew();
    last = inventory.Scan(query);
    times.Add(sw.Elapsed.TotalMilliseconds);
}
times.Sort();
int attached = last.Segments.Count(s => s.Attachments.Count > 0);
Console.WriteLine($"inventory_median_ms={times[times.Count / 2]:0.0} inventory_min_ms={times[0]:0.0} segments={last.Segments.Count} attached={attached} processes={last.ProcessesScanned}");
