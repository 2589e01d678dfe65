using ShmTools.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace ShmTools.Tests.Metrics;

/// <summary>
/// deploy/kubernetes checked by structure (no cluster here): every document parses, has the fields
/// the API server requires, the exporter's and the cleaner's pods have the host namespaces, the
/// mounts and only the capabilities they need, a read-only root, limits; the Service reaches the
/// exporter's port; the arguments are ones the CLI accepts.
/// </summary>
public sealed class KubernetesManifestTests
{
    private static string Dir => Path.Combine(PrometheusTools.RepoRoot, "deploy", "kubernetes");

    private static List<YamlMappingNode> Documents()
    {
        var docs = new List<YamlMappingNode>();
        foreach (var file in Directory.GetFiles(Dir, "*.yaml").Order())
        {
            var stream = new YamlStream();
            using (var reader = new StringReader(File.ReadAllText(file))) stream.Load(reader);
            foreach (var d in stream.Documents)
            {
                var root = Assert.IsType<YamlMappingNode>(d.RootNode);
                Assert.True(root.Children.ContainsKey("apiVersion"), file + ": apiVersion");
                Assert.True(root.Children.ContainsKey("kind"), file + ": kind");
                Assert.NotNull(Str(Map(root, "metadata"), "name"));
                docs.Add(root);
            }
        }
        return docs;
    }

    private static YamlMappingNode Map(YamlNode n, string key) =>
        Assert.IsType<YamlMappingNode>(((YamlMappingNode)n).Children[new YamlScalarNode(key)]);

    private static YamlSequenceNode Seq(YamlNode n, string key) =>
        Assert.IsType<YamlSequenceNode>(((YamlMappingNode)n).Children[new YamlScalarNode(key)]);

    private static string? Str(YamlNode n, string key) =>
        ((YamlMappingNode)n).Children.TryGetValue(new YamlScalarNode(key), out var v) ? ((YamlScalarNode)v).Value : null;

    private static YamlMappingNode Kind(List<YamlMappingNode> docs, string kind) => Assert.Single(docs, d => Str(d, "kind") == kind);

    private static void AssertHardenedPod(YamlMappingNode podSpec, string[] allowedCapabilities)
    {
        Assert.Equal("true", Str(podSpec, "hostPID"));
        Assert.Equal("true", Str(podSpec, "hostIPC"));
        Assert.Equal("false", Str(podSpec, "automountServiceAccountToken"));
        var container = (YamlMappingNode)Assert.Single(Seq(podSpec, "containers"));
        var sc = Map(container, "securityContext");
        Assert.Equal("true", Str(sc, "readOnlyRootFilesystem"));
        Assert.Equal("false", Str(sc, "allowPrivilegeEscalation"));
        Assert.Equal("false", Str(sc, "privileged"));
        var caps = Map(sc, "capabilities");
        Assert.Equal(["ALL"], Seq(caps, "drop").Select(n => ((YamlScalarNode)n).Value));
        var added = Seq(caps, "add").Select(n => ((YamlScalarNode)n).Value!).ToList();
        Assert.Contains("SYS_PTRACE", added);
        Assert.All(added, c => Assert.Contains(c, allowedCapabilities));
        Assert.DoesNotContain("SYS_ADMIN", added);
        var limits = Map(Map(container, "resources"), "limits");
        Assert.NotNull(Str(limits, "cpu"));
        Assert.NotNull(Str(limits, "memory"));
        // Every mount names a volume; /dev/shm is the host's.
        var volumes = Seq(podSpec, "volumes").Cast<YamlMappingNode>().ToDictionary(v => Str(v, "name")!);
        foreach (YamlMappingNode m in Seq(container, "volumeMounts")) Assert.Contains(Str(m, "name")!, volumes.Keys);
        var shm = Assert.Single(Seq(container, "volumeMounts").Cast<YamlMappingNode>(), m => Str(m, "mountPath") == "/dev/shm");
        Assert.Equal("/dev/shm", Str(Map(volumes[Str(shm, "name")!], "hostPath"), "path"));
    }

    private static string[] Args(YamlMappingNode podSpec) =>
        Seq((YamlMappingNode)Seq(podSpec, "containers")[0], "args").Select(n => ((YamlScalarNode)n).Value!).ToArray();

    /// <summary>Every --option in the manifest is one `shmtools VERB --help` lists.</summary>
    private static void AssertCliAccepts(string[] args)
    {
        var help = ShmToolsCli.Invoke(args[0], "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var a in args.Where(a => a.StartsWith("--"))) Assert.Contains(a, help.Stdout);
    }

    [Fact]
    public void DaemonSet_runs_serve_hardened_and_the_Service_reaches_its_port()
    {
        var docs = Documents();
        var ds = Kind(docs, "DaemonSet");
        Assert.Equal("apps/v1", Str(ds, "apiVersion"));
        var spec = Map(ds, "spec");
        var template = Map(spec, "template");
        var podLabels = Map(Map(template, "metadata"), "labels");
        foreach (var (k, v) in Map(Map(spec, "selector"), "matchLabels").Children)
            Assert.Equal(((YamlScalarNode)v).Value, Str(podLabels, ((YamlScalarNode)k).Value!));
        var pod = Map(template, "spec");
        AssertHardenedPod(pod, ["SYS_PTRACE", "DAC_OVERRIDE"]);
        var args = Args(pod);
        Assert.Equal("serve", args[0]);
        Assert.Equal("0.0.0.0:9464", args[Array.IndexOf(args, "--listen") + 1]);
        AssertCliAccepts(args);
        var container = (YamlMappingNode)Seq(pod, "containers")[0];
        var port = (YamlMappingNode)Assert.Single(Seq(container, "ports"));
        Assert.Equal(("metrics", "9464"), (Str(port, "name"), Str(port, "containerPort")));
        Assert.Equal("/healthz", Str(Map(Map(container, "readinessProbe"), "httpGet"), "path"));
        Assert.Equal("/healthz", Str(Map(Map(container, "livenessProbe"), "httpGet"), "path"));

        var svc = Kind(docs, "Service");
        var svcSpec = Map(svc, "spec");
        foreach (var (k, v) in Map(svcSpec, "selector").Children)
            Assert.Equal(((YamlScalarNode)v).Value, Str(podLabels, ((YamlScalarNode)k).Value!));
        var svcPort = (YamlMappingNode)Assert.Single(Seq(svcSpec, "ports"));
        Assert.Equal("metrics", Str(svcPort, "targetPort"));
        Assert.Equal("9464", Str(svcPort, "port"));
        Assert.All(docs.Where(d => Str(d, "kind") != "Namespace"), d => Assert.Equal("shmtools", Str(Map(d, "metadata"), "namespace")));
    }

    [Fact]
    public void CronJob_cleans_with_yes_and_keeps_the_audit_log_on_a_host_path()
    {
        var cron = Kind(Documents(), "CronJob");
        Assert.Equal("batch/v1", Str(cron, "apiVersion"));
        var spec = Map(cron, "spec");
        Assert.Equal(5, Str(spec, "schedule")!.Split(' ').Length);
        Assert.Equal("Forbid", Str(spec, "concurrencyPolicy"));
        var pod = Map(Map(Map(Map(spec, "jobTemplate"), "spec"), "template"), "spec");
        Assert.Equal("Never", Str(pod, "restartPolicy"));
        AssertHardenedPod(pod, ["SYS_PTRACE", "DAC_OVERRIDE", "FOWNER"]);
        var args = Args(pod);
        Assert.Equal("clean", args[0]);
        Assert.Contains("--yes", args);
        string log = args[Array.IndexOf(args, "--log") + 1];
        AssertCliAccepts(args);
        var container = (YamlMappingNode)Seq(pod, "containers")[0];
        var mount = Assert.Single(Seq(container, "volumeMounts").Cast<YamlMappingNode>(), m => log.StartsWith(Str(m, "mountPath")! + "/"));
        Assert.NotEqual("true", Str(mount, "readOnly"));
        var volume = Assert.Single(Seq(pod, "volumes").Cast<YamlMappingNode>(), v => Str(v, "name") == Str(mount, "name"));
        Assert.Equal("DirectoryOrCreate", Str(Map(volume, "hostPath"), "type"));
    }

    [Fact]
    public void Dockerfile_builds_the_aot_binary_and_runs_it_on_a_runtime_only_base()
    {
        var lines = File.ReadAllLines(Path.Combine(PrometheusTools.RepoRoot, "deploy", "Dockerfile"));
        var froms = lines.Where(l => l.StartsWith("FROM ")).ToList();
        Assert.Equal(2, froms.Count);
        Assert.Contains("/sdk:", froms[0]);
        Assert.Contains("/runtime-deps:", froms[1]);
        Assert.Contains(lines, l => l.Contains("PublishAot=true") && l.Contains("src/ShmTools.Cli"));
        Assert.Contains("ENTRYPOINT [\"/usr/local/bin/shmtools\"]", lines);
        Assert.Contains(lines, l => l.StartsWith("COPY --from=build /out/shmtools /usr/local/bin/shmtools"));
        // The manifests run the image this Dockerfile's comment tags.
        string tag = lines.First(l => l.Contains("docker build")).Split(' ').First(w => w.Contains("ghcr.io/"));
        foreach (var file in Directory.GetFiles(Dir, "*.yaml"))
            foreach (var image in File.ReadAllLines(file).Where(l => l.Trim().StartsWith("image:")))
                Assert.Equal(tag, image.Trim()["image:".Length..].Trim());
    }
}
