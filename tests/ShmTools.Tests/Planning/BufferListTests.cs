using ShmTools.Core.Planning.Buffers;
using ShmTools.Core.Planning.Graph;

namespace ShmTools.Tests.Planning;

/// <summary>The buffer-list CSV: both headers, extra columns, and every bad line named by file and line.</summary>
public sealed class BufferListTests
{
    [Fact]
    public void Both_headers_are_read_and_a_written_plan_reads_back()
    {
        var a = BufferListReader.Parse("id,lower,upper,size\nb1,0,3,4\r\nb2,3,9,4\n\n", "a.csv");
        var b = BufferListReader.Parse("buffer,start,end,size\nb1,0,3,4\nb2,3,9,4\n", "b.csv");
        Assert.Equal(a, b);
        Assert.Equal(new BufferSpec("b2", 3, 9, 4), a[1]);
        var csv = BufferListWriter.Csv(a.Select(x => new PlacedBuffer(x.Id, x.Lower, x.Upper, x.Size, 8)));
        Assert.StartsWith("id,lower,upper,size,offset\nb1,0,3,4,8\n", csv);
        Assert.Equal(a, BufferListReader.Parse(csv, "c.csv"));
    }

    [Theory]
    [InlineData("", "x.csv: the buffer list is empty")]
    [InlineData("name,from,to,bytes\n", "x.csv:1: the header must name")]
    [InlineData("id,lower,upper,size\nb1,0,3\n", "x.csv:2: 3 fields where the header has 4")]
    [InlineData("id,lower,upper,size\nb1,0,3,4\nb2,5,5,4\n", "x.csv:3: buffer 'b2' ends (5) where or before it starts (5)")]
    [InlineData("id,lower,upper,size\nb1,0,3,-4\n", "x.csv:2: buffer 'b1': size '-4' is not a whole number")]
    [InlineData("id,lower,upper,size\nb1,0,3,4\nb1,3,9,4\n", "x.csv:3: buffer id 'b1' appears twice")]
    [InlineData("id,lower,upper,size\n,0,3,4\n", "x.csv:2: the buffer has no id")]
    [InlineData("id,lower,upper,size\nb1,0,99999999999999999999,4\n", "x.csv:2: buffer 'b1': upper")]
    [InlineData("id,lower,upper,size\nb1,0,3,9223372036854775807\nb2,0,3,9223372036854775807\n", "x.csv: the sizes add up")]
    public void Bad_lists_are_refused_with_file_and_line(string text, string message)
    {
        var ex = Assert.Throws<ModelFormatException>(() => BufferListReader.Parse(text, "x.csv"));
        Assert.StartsWith(message, ex.Message);
    }

    [Fact]
    public void Unreadable_files_are_a_format_error_naming_the_file()
    {
        var ex = Assert.Throws<ModelFormatException>(() => BufferListReader.Read("/nonexistent/list.csv"));
        Assert.StartsWith("/nonexistent/list.csv: cannot be opened", ex.Message);
        var endless = Assert.Throws<ModelFormatException>(() => BufferListReader.Read("/dev/zero"));
        Assert.StartsWith("/dev/zero: a character device, not a regular file", endless.Message);
        var dir = Directory.CreateTempSubdirectory("shmtools-buffers-");
        try
        {
            Assert.Contains("a directory, not a regular file", Assert.Throws<ModelFormatException>(() => BufferListReader.Read(dir.FullName)).Message);
            // A FIFO with no writer: refused at once, never waited on.
            string fifo = Path.Combine(dir.FullName, "list.csv");
            using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo])) mk.WaitForExit();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Assert.Contains("a FIFO (named pipe), not a regular file", Assert.Throws<ModelFormatException>(() => BufferListReader.Read(fifo)).Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
