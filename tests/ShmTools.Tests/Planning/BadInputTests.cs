using System.Diagnostics;
using ShmTools.Core.Gpu;
using ShmTools.Core.Planning;
using ShmTools.Core.Planning.Graph;
using ShmTools.Core.Planning.Plan;
using ShmTools.Core.Profiles;
using ShmTools.Tests.Support;
using static ShmTools.Tests.Support.OnnxBytes;

namespace ShmTools.Tests.Planning;

/// <summary>
/// Every named bad input of the planner and the GPU reader, each through the Core API and the
/// CLI: an error naming the file and what is wrong, exit 2, within seconds, no stack trace.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("shmtools-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private const string GoodGraph = "inputs: [ { name: x, shape: [1, 3, 8, 8] } ]\nnodes:\n  - { name: a, op: Relu, inputs: [x], outputs: [ { name: y, shape: [1, 3, 8, 8] } ] }\noutputs: [y]\n";

    /// <summary>A case: the plan request (paths inside the case directory) and the words the error must carry besides the file's name.</summary>
    private sealed record Case(string File, string Why, string? Model = null, string? Profile = null, string? Chart = null);

    public static TheoryData<string> Named => new(Cases.Keys);

    private static readonly Dictionary<string, Func<string, Case>> Cases = new()
    {
        ["fifo-model"] = d => { Fifo(d, "m.onnx"); return new Case("m.onnx", "a FIFO (named pipe), not a regular file", Model: "m.onnx"); },
        ["fifo-graph"] = d => { Fifo(d, "m.yaml"); return new Case("m.yaml", "a FIFO (named pipe), not a regular file", Model: "m.yaml"); },
        ["fifo-profile"] = d => { Fifo(d, "p.yaml"); return new Case("p.yaml", "a FIFO (named pipe), not a regular file", Profile: "p.yaml"); },
        ["device-as-model"] = _ => new Case("/dev/zero", "a character device", Model: "/dev/zero"),
        ["directory-as-model"] = d => new Case(d, "a directory, not a regular file", Model: d),
        ["alias-bomb-key-graph"] = d => { Write(d, "m.yaml", AliasBomb()); return new Case("m.yaml", "alias bomb", Model: "m.yaml"); },
        ["alias-bomb-profile"] = d => { Write(d, "p.yaml", AliasBomb()); return new Case("p.yaml", "alias bomb", Profile: "p.yaml"); },
        ["deep-nesting-graph"] = d => { Write(d, "m.yaml", new string('[', 100_000) + new string(']', 100_000)); return new Case("m.yaml", "nested deeper than 64 levels", Model: "m.yaml"); },
        ["deep-nesting-profile"] = d => { Write(d, "p.yaml", string.Concat(Enumerable.Repeat("{a: ", 100_000)) + "1" + new string('}', 100_000)); return new Case("p.yaml", "nested deeper than 64 levels", Profile: "p.yaml"); },
        ["conv-stride-0"] = d => Onnx(d, OneNode("Conv", [new Attr("strides", Ints: [0, 0])], ["x", "w"], initializers: [new Initializer("w", [4, 3, 3, 3])]), "strides [0,0] must all be 1 or more"),
        ["pool-stride-0"] = d => Onnx(d, OneNode("MaxPool", [new Attr("kernel_shape", Ints: [2, 2]), new Attr("strides", Ints: [0, 0])]), "strides [0,0] must all be 1 or more"),
        ["split-0"] = d => Onnx(d, OneNode("Split", [new Attr("axis", 1), new Attr("num_outputs", 0)], outputs: 2), "num_outputs 0 must be from 1"),
        ["duplicate-attribute"] = d => Onnx(d, OneNode("Relu", [new Attr("alpha", 1), new Attr("alpha", 2)]), "has attribute 'alpha' twice"),
        ["tensor-attribute-without-tensor"] = d => Onnx(d, OneNode("Constant", [new Attr("value", TypeOnly: 4)], inputs: []), "attribute 'value' of node 'Constant_0' says it is a tensor but holds none"),
        ["operator-without-inputs"] = d => Onnx(d, OneNode("Add", [], inputs: []), "node 'Add_0' (Add): has no inputs"),
        ["concat-without-inputs"] = d => Onnx(d, OneNode("Concat", [new Attr("axis", 0)], inputs: []), "has no inputs"),
        ["flatten-axis-2^40"] = d => Onnx(d, OneNode("Flatten", [new Attr("axis", 1L << 40)]), "axis 1099511627776 is out of range for a tensor of rank 4"),
        ["gather-axis-2^40"] = d => Onnx(d, OneNode("Gather", [new Attr("axis", 1L << 40)], ["x", "x"]), "axis 1099511627776 is out of range"),
        ["weights-sum-overflow-onnx"] = d => Onnx(d, Model([new Node("Add", ["x", "w1"], ["a"]), new Node("Add", ["a", "w2"], ["b"]), new Node("Add", ["b", "w3"], ["c"]), new Node("Add", ["c", "w4"], ["y0"])],
            [new Value("x", [1])], [new Value("y0", null)], [.. Enumerable.Range(1, 4).Select(i => new Initializer("w" + i, [1L << 30, 1L << 29]))]), "more than the 1 EiB a plan can count"),
        ["weights-sum-overflow-graph"] = d =>
        {
            Write(d, "m.yaml", "inputs: [ { name: x, shape: [1] } ]\nnodes:\n" + string.Concat(Enumerable.Range(0, 5).Select(i =>
                $"  - {{ name: n{i}, op: Relu, inputs: [{(i == 0 ? "x" : "t" + (i - 1))}], outputs: [ {{ name: t{i}, shape: [1] }} ], weightsBytes: {1L << 62} }}\n")) + "outputs: [t4]\n");
            return new Case("m.yaml", "more than the 1 EiB a plan can count", Model: "m.yaml");
        },
        ["tensor-sum-overflow-graph"] = d =>
        {
            Write(d, "m.yaml", "inputs: [ { name: x, shape: [1073741824, 536870912] } ]\nnodes:\n" + string.Concat(Enumerable.Range(0, 5).Select(i =>
                $"  - {{ name: n{i}, op: Relu, inputs: [{(i == 0 ? "x" : "t" + (i - 1))}], outputs: [ {{ name: t{i}, shape: [1073741824, 536870912] }} ] }}\n")) + "outputs: [t4]\n");
            return new Case("m.yaml", "the tensors and weights total", Model: "m.yaml");
        },
        ["empty-profile"] = d => { Write(d, "p.yaml", ""); return new Case("p.yaml", "holds no device profile", Profile: "p.yaml"); },
        ["comments-only-profile"] = d => { Write(d, "p.yaml", "# nothing here\n"); return new Case("p.yaml", "holds no device profile", Profile: "p.yaml"); },
        ["missing-profile-file"] = _ => new Case("gone.yaml", "no such file", Profile: "gone.yaml"),
        ["chart-in-missing-directory"] = d => new Case(Path.Combine(d, "none", "c.svg"), "does not exist", Chart: Path.Combine(d, "none", "c.svg")),
        ["chart-onto-directory"] = d => new Case(d, "is a directory", Chart: d),
        ["chart-onto-fifo"] = d => { Fifo(d, "c.svg"); return new Case("c.svg", "not a regular file", Chart: "c.svg"); },
    };

    [Theory]
    [MemberData(nameof(Named))]
    public void Core_names_the_file_and_what_is_wrong(string name)
    {
        var c = Resolve(Cases[name](_dir));
        var watch = Stopwatch.StartNew();
        var task = Task.Run(() => Request(c).Run());
        Assert.True(Task.WaitAny([task], TimeSpan.FromSeconds(10)) == 0, $"{name}: still running after 10 s");
        var ex = Assert.IsAssignableFrom<Exception>(task.Exception?.InnerException);
        Assert.True(ex is ModelFormatException or ProfileFormatException or ChartWriteException, $"{name}: {ex.GetType().Name}: {ex}");
        Assert.Contains(c.File, ex.Message);
        Assert.Contains(c.Why, ex.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"{name}: took {watch.Elapsed}");
    }

    [Theory]
    [MemberData(nameof(Named))]
    public void Cli_exits_2_with_the_file_and_what_is_wrong(string name)
    {
        var c = Resolve(Cases[name](_dir));
        var watch = Stopwatch.StartNew();
        var run = ShmToolsCli.Invoke(Args(c));
        AssertBadInput(run, c.File, c.Why);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"{name}: took {watch.Elapsed}");
    }

    [Fact]
    public void Outputs_replace_a_link_planted_at_their_path_and_never_write_through_it()
    {
        string model = Write(_dir, "linked.yaml", GoodGraph);
        string precious = Write(_dir, "precious.txt", "precious");
        string chart = Path.Combine(_dir, "chart.svg");
        File.CreateSymbolicLink(chart, precious);
        var run = ShmToolsCli.Invoke(["plan", "--model", model, "--chart", chart]);
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Equal("precious", File.ReadAllText(precious));
        Assert.Null(new FileInfo(chart).LinkTarget);
        Assert.StartsWith("<svg", File.ReadAllText(chart).TrimStart());

        // A FIFO at the buffer list's output path is replaced, not waited on.
        string list = Write(_dir, "list.csv", "id,lower,upper,size\na,0,2,8\nb,1,3,8\n");
        string placed = Fifo(_dir, "placed.csv");
        var clock = Stopwatch.StartNew();
        var placedRun = ShmToolsCli.Invoke(["plan", "--buffers", list, "--output", placed]);
        Assert.True(placedRun.ExitCode == 0, $"exit {placedRun.ExitCode}: {placedRun.Stderr}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"took {clock.Elapsed}");
        Assert.StartsWith("id,lower,upper,size,offset", File.ReadAllText(placed));
    }

    [RootFact]
    public void Unreadable_model_and_profile_as_an_unprivileged_user_exit_2()
    {
        File.SetUnixFileMode(_dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherExecute | UnixFileMode.OtherRead);
        string model = Write(_dir, "m.yaml", GoodGraph);
        string profile = Write(_dir, "p.yaml", "name: mine\nmemory: 1 GiB\n");
        File.SetUnixFileMode(model, UnixFileMode.None);
        AssertBadInput(ShmToolsCli.InvokeAs("65534", "plan", "--model", model), model, "permission denied");
        File.SetUnixFileMode(model, UnixFileMode.UserRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(profile, UnixFileMode.None);
        AssertBadInput(ShmToolsCli.InvokeAs("65534", "plan", "--model", model, "--profile", profile), profile, "permission denied");
    }

    [Fact]
    public void A_named_hami_fifo_is_bad_input_and_one_at_the_default_path_only_a_warning()
    {
        string fifo = Fifo(_dir, "region.cache");
        var ex = Assert.Throws<GpuInputException>(() => new GpuInventory().Read(new GpuQuery { Source = GpuSource.Hami, HamiCaches = [fifo] }));
        Assert.Contains(fifo + ": a FIFO (named pipe), not a regular file", ex.Message);
        AssertBadInput(ShmToolsCli.Invoke("gpu", "--source", "hami", "--hami-cache", fifo), fifo, "a FIFO");

        // Anyone can create the default region path; a plain `gpu` must neither hang on it nor call it bad input.
        var watch = Stopwatch.StartNew();
        var run = ShmToolsCli.InvokeWith(new Dictionary<string, string> { ["CUDA_DEVICE_MEMORY_SHARED_CACHE"] = fifo },
            "gpu", "--nvml-library", "/nonexistent/libnvidia-ml.so.1", "--nvidia-smi", "/nonexistent/nvidia-smi");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15));
        Assert.Equal(3, run.ExitCode);
        Assert.Contains(fifo + ": a FIFO", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    [Fact]
    public void A_hami_region_whose_every_seqlock_stays_odd_is_refused_in_bounded_time()
    {
        string path = Path.Combine(_dir, "odd.cache");
        NativeBuild.Run(NativeBuild.Program("hami_region.c"), "v1", path, "1", "7:100");
        var bytes = File.ReadAllBytes(path);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(2008896), 1024); // proc_num: every slot live
        for (int slot = 0; slot < 1024; slot++)
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(1856 + slot * 1960 + 1936), 12345); // a write never finished
        File.WriteAllBytes(path, bytes);
        var watch = Stopwatch.StartNew();
        var ex = Assert.Throws<InvalidDataException>(() => HamiRegionReader.Read(path));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Contains(path, ex.Message);
        Assert.Contains("slot 0 kept changing (seqlock 12345, odd", ex.Message);
        AssertBadInput(ShmToolsCli.Invoke("gpu", "--source", "hami", "--hami-cache", path), path, "kept changing");
    }

    [RootFact]
    public void A_chart_on_a_full_filesystem_keeps_the_plan_and_is_exit_1_naming_the_file()
    {
        // A 4 KiB tmpfs of its own (the tests run in a private mount namespace): the classifier's chart is far larger.
        string mount = Directory.CreateDirectory(Path.Combine(_dir, "full")).FullName;
        string chart = Path.Combine(mount, "c.svg");
        var psi = new ProcessStartInfo("unshare", ["-m", "--propagation", "private", "sh", "-c",
            $"mount -t tmpfs -o size=4k shmtools-full '{mount}' && exec dotnet '{ShmToolsCli.DllPath}' plan --model '{TestModels.Classifier}' --input-shape x=1,3,48,192 --chart '{chart}'"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        string stderr = p.StandardError.ReadToEnd();
        Assert.True(p.WaitForExit(60_000));
        // The plan was computed: it is written, and the chart that could not be is an error beside it.
        Assert.True(p.ExitCode == 1, $"exit {p.ExitCode}: {stderr}");
        Assert.Contains("peak", stdout.Result, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("shmtools: --chart: ", stderr);
        Assert.Contains(chart, stderr);
        Assert.Contains("the chart cannot be written", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    internal static void AssertBadInput(ShmToolsCli.Run run, string file, string why)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Stderr}");
        Assert.Equal("", run.Stdout);
        Assert.StartsWith("shmtools: ", run.Stderr);
        Assert.Contains(file, run.Stderr);
        Assert.Contains(why, run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.DoesNotContain("Unhandled exception", run.Stderr);
    }

    private Case Resolve(Case c) => c with
    {
        File = Abs(c.File),
        Model = c.Model == null ? Write(_dir, "good.yaml", GoodGraph) : Abs(c.Model),
        Profile = c.Profile == null ? null : Abs(c.Profile),
        Chart = c.Chart == null ? null : Abs(c.Chart),
    };

    private string Abs(string path) => Path.IsPathRooted(path) ? path : Path.Combine(_dir, path);

    private static PlanRequest Request(Case c) => new() { Model = c.Model!, Profiles = c.Profile == null ? [] : [c.Profile], ChartPath = c.Chart };

    private static string[] Args(Case c) =>
        ["plan", "--model", c.Model!, .. c.Profile == null ? Array.Empty<string>() : ["--profile", c.Profile], .. c.Chart == null ? Array.Empty<string>() : ["--chart", c.Chart]];

    private static Case Onnx(string dir, byte[] model, string why)
    {
        string path = Path.Combine(dir, "m.onnx");
        File.WriteAllBytes(path, model);
        return new Case("m.onnx", why, Model: "m.onnx");
    }

    /// <summary>Ten levels of ten aliases each (10^10 nodes expanded) in 1 KB, the last one used as a mapping key.</summary>
    internal static string AliasBomb() =>
        "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        + string.Concat(Enumerable.Range(1, 10).Select(i => $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]\n"))
        + "? *a10\n: boom\n";

    internal static string Write(string dir, string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    internal static string Fifo(string dir, string name)
    {
        string path = Path.Combine(dir, name);
        if (!File.Exists(path)) NativeBuild.Run("mkfifo", path);
        return path;
    }
}
