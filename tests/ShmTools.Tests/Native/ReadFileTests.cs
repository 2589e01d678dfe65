using ShmTools.Core.Native;

namespace ShmTools.Tests.Native;

/// <summary>Whole-file reads of /proc files: a one-record read stops at its first short read, and still reads a file longer than its buffer whole.</summary>
public sealed class ReadFileTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(300)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(5000)]
    public void A_one_record_read_has_the_whole_file_whatever_its_length(int length)
    {
        string path = Path.Combine(Path.GetTempPath(), $"shmtools-readfile-{Environment.ProcessId}-{length}");
        var content = Enumerable.Range(0, length).Select(i => (byte)('a' + i % 26)).ToArray();
        File.WriteAllBytes(path, content);
        try
        {
            foreach (bool oneRecord in new[] { true, false })
            {
                var buffer = new byte[1024];
                Assert.Equal(0, Posix.ReadFile(path, ref buffer, out int read, oneRecord));
                Assert.Equal(content, buffer.AsSpan(0, read).ToArray());
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void This_process_stat_is_read_in_one_record()
    {
        var one = new byte[1024];
        var all = new byte[1024];
        Assert.Equal(0, Posix.ReadFile("/proc/self/stat", ref one, out int a, oneRecord: true));
        Assert.Equal(0, Posix.ReadFile("/proc/self/stat", ref all, out int b));
        // The two reads are of two moments (times move on), but both are one whole line.
        Assert.Equal((byte)'\n', one[a - 1]);
        Assert.Equal((byte)'\n', all[b - 1]);
        Assert.Equal(System.Text.Encoding.ASCII.GetString(one, 0, a).Split(' ')[..2], System.Text.Encoding.ASCII.GetString(all, 0, b).Split(' ')[..2]);
    }
}
