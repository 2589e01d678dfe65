using ShmTools.Tests.Support;
using ShmTools.Core.Profiles;

namespace ShmTools.Tests.Planning;

public sealed class ProfileTests
{
    private static IReadOnlyList<DeviceProfile> Parse(string yaml) => ProfileReader.Read(new StringReader(yaml), "npu.yaml");

    [Fact]
    public void Built_in_profiles_cover_the_common_devices()
    {
        var names = ProfileCatalog.BuiltIn.Select(p => p.Name).ToList();
        foreach (var n in new[] { "cpu", "h100-80gb", "h200-141gb", "a100-40gb", "a100-80gb", "l4", "t4", "rtx-4090", "mi300x", "jetson-agx-orin-64gb" })
            Assert.Contains(n, names);
        var h100 = ProfileCatalog.BuiltIn.Single(p => p.Name == "h100-80gb");
        Assert.Equal((80L << 30, 2L << 30, 132, DeviceKind.Gpu), (h100.MemoryBytes, h100.ReservedBytes, h100.ComputeUnits, h100.Kind));
        Assert.Equal(141_000_000_000, ProfileCatalog.BuiltIn.Single(p => p.Name == "h200-141gb").MemoryBytes);
    }

    [Fact]
    public void A_file_holds_one_profile_or_a_list_with_units_percentages_and_operator_wildcards()
    {
        var one = Assert.Single(Parse("name: npu\nkind: npu\nmemory: 8 GB\nreserved: 25%\ncomputeUnits: 4\nalignment: 128\nsupportedOperators: [Conv*, Relu]\nunsupportedOperators: [ConvTranspose]\n"));
        Assert.Equal((8_000_000_000L, 2_000_000_000L, 4, 128), (one.MemoryBytes, one.ReservedBytes, one.ComputeUnits, one.AlignmentBytes));
        Assert.True(one.Supports("Conv"));
        Assert.True(one.Supports("Relu"));
        Assert.False(one.Supports("ConvTranspose"));
        Assert.False(one.Supports("MatMul"));
        Assert.Equal("npu.yaml:1", one.Source);
        var two = Parse("- { name: a, memory: 512 MiB }\n- { name: b, memory: 1073741824, reserved: 1KiB }\n");
        Assert.Equal(new long[] { 512L << 20, 1L << 30 }, two.Select(p => p.MemoryBytes));
        Assert.Equal(1024, two[1].ReservedBytes);
    }

    [Theory]
    [InlineData("name: x\nmemory: 1 GiB\nmemroy: 2\n", "npu.yaml:3:1: unknown key 'memroy'")]
    [InlineData("name: x\n", "npu.yaml:1:1: profile 'x': missing required key 'memory'")]
    [InlineData("memory: 1 GiB\n", "missing required key 'name'")]
    [InlineData("name: x\nmemory: lots\n", "npu.yaml:2:9: memory 'lots' is not a size")]
    [InlineData("name: x\nmemory: -5 GiB\n", "npu.yaml:2:9: memory '-5 GiB' is not a size")]
    [InlineData("name: x\nmemory: 9000 TiB\n", "npu.yaml:2:9: memory 9000 TiB is not between 1 byte and 1 PiB")]
    [InlineData("name: x\nmemory: 1 GiB\nreserved: 150%\n", "npu.yaml:3:11: reserved 150% is not a percentage")]
    [InlineData("name: x\nmemory: 1 GiB\nreserved: 2 GiB\n", "npu.yaml:3:11: reserved 2 GiB must be at least 0 and less than memory")]
    [InlineData("name: x\nmemory: 1 GiB\ncomputeUnits: many\n", "npu.yaml:3:15: 'computeUnits' must be a whole number")]
    [InlineData("name: x\nmemory: 1 GiB\nalignment: 100\n", "npu.yaml:3:12: alignment 100 is not a power of two")]
    [InlineData("name: x\nmemory: 1 GiB\nkind: tpu\n", "npu.yaml:3:7: kind 'tpu' is not one of")]
    [InlineData("name: x\nmemory: 1 GiB\nsupportedOperators: Conv\n", "npu.yaml:3:21: 'supportedOperators' must be a list")]
    [InlineData("name: [x\nmemory: 1\n", "npu.yaml:")]
    [InlineData("- 3\n", "npu.yaml:1:3: each list item must be a profile")]
    public void Mistakes_are_reported_with_file_line_and_column(string yaml, string expected)
    {
        var ex = Assert.Throws<ProfileFormatException>(() => Parse(yaml));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Profiles_are_found_by_wildcard_and_files_add_to_them()
    {
        Assert.Equal(["a100-40gb", "a100-80gb"], ProfileCatalog.Find(["a100*"]).Select(p => p.Name).Order());
        string file = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(file, "name: my-npu\nmemory: 8 GiB\nsupportedOperators: [Conv]\n");
        try
        {
            var mine = Assert.Single(ProfileCatalog.Find(["my-*"], [file]));
            Assert.Equal(file + ":1", mine.Source);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Unknown_profile_names_list_the_known_ones()
    {
        var ex = Assert.Throws<ProfileFormatException>(() => ProfileCatalog.Resolve("tpu-v5"));
        Assert.Contains("h100-80gb", ex.Message);
    }
    [Fact]
    public void A_request_reads_the_profile_directory_only_when_it_names_a_profile_skipping_broken_files_there_and_path_like_names_are_files()
    {
        string dir = Directory.CreateTempSubdirectory("shmtools-profiles-").FullName;
        string mine = dir + "-mine.yml"; // outside the profile directory
        try
        {
            string broken = Path.Combine(dir, "broken.yaml");
            File.WriteAllText(broken, "name: [oops\n");
            File.WriteAllText(mine, "name: mine\nmemory: 1 GiB\n");
            string graph = Path.Combine(dir, "g.json");
            File.WriteAllText(graph, """{"inputs": [{"name": "x", "shape": [1, 8]}], "nodes": [{"name": "r", "op": "Relu", "inputs": ["x"], "outputs": [{"name": "y", "shape": [1, 8]}]}], "outputs": ["y"]}""");
            var env = new Dictionary<string, string> { ["SHMTOOLS_PROFILE_PATH"] = dir };

            var byFile = ShmToolsCli.InvokeWith(env, "plan", "--model", graph, "--profile", mine, "--json");
            Assert.True(byFile.ExitCode == 0, byFile.Stderr);
            Assert.Contains("\"mine\"", byFile.Stdout);

            // A broken file of the profile directory is skipped with a warning naming it; named, it is bad input.
            var byName = ShmToolsCli.InvokeWith(env, "plan", "--model", graph, "--profile", "cpu");
            Assert.True(byName.ExitCode == 0, byName.Stderr);
            Assert.Contains("warning: " + broken, byName.Stderr);
            Assert.Contains("not valid YAML", byName.Stderr);
            Assert.Contains("skipped", byName.Stderr);
            BadInputTests.AssertBadInput(ShmToolsCli.InvokeWith(env, "plan", "--model", graph, "--profile", broken), broken, "not valid YAML");
            var listed = ShmToolsCli.InvokeWith(env, "profiles", "--json");
            Assert.True(listed.ExitCode == 0, listed.Stderr);
            Assert.Contains("\"cpu\"", listed.Stdout);
            Assert.Contains(broken, listed.Stderr);

            var missing = ShmToolsCli.InvokeWith(env, "plan", "--model", graph, "--profile", "./no-such.yaml");
            BadInputTests.AssertBadInput(missing, "./no-such.yaml", "no such file");
        }
        finally
        {
            File.Delete(mine);
            Directory.Delete(dir, true);
        }
    }

    [RootFact]
    public void A_profile_directory_this_user_cannot_list_is_a_warning_and_the_built_in_profiles_still_plan()
    {
        string dir = Directory.CreateTempSubdirectory("shmtools-closed-").FullName;
        string graph = Path.Combine(Path.GetTempPath(), Unique.Name("g") + ".json");
        File.WriteAllText(graph, """{"inputs": [{"name": "x", "shape": [1, 8]}], "nodes": [{"name": "r", "op": "Relu", "inputs": ["x"], "outputs": [{"name": "y", "shape": [1, 8]}]}], "outputs": ["y"]}""");
        File.SetUnixFileMode(graph, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.GroupRead);
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // root only
        try
        {
            var env = new Dictionary<string, string> { ["SHMTOOLS_PROFILE_PATH"] = dir };
            var run = ShmToolsCli.InvokeAs("65534", ["plan", "--model", graph, "--profile", "cpu"], env);
            Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Stderr}");
            Assert.Contains("warning: " + dir, run.Stderr);
            Assert.Contains("cannot be listed", run.Stderr);
        }
        finally
        {
            Directory.Delete(dir, true);
            File.Delete(graph);
        }
    }
}
