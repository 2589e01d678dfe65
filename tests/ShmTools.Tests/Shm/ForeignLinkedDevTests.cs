using ShmTools.Tests.Support;

namespace ShmTools.Tests.Shm;

/// <summary>
/// A container whose /dev is a symbolic link to a directory of this host (a chroot where dev ->
/// /somewhere): with --all-namespaces its /dev/shm is reached through /proc/PID/root, and the link
/// must be read inside the container, never against this host's root, so the host directory it
/// names is neither listed nor cleaned, and the scan says so. A container with a /dev/shm of its
/// own, beside it, is.
/// </summary>
public sealed class ForeignLinkedDevTests
{
    [RootFact]
    public void A_containers_dev_linked_to_a_host_directory_is_not_listed_or_cleaned_and_a_real_one_is()
    {
        int dead = PrivateShm.DeadPid();
        string victim = $"torch_{dead}_5_0";
        string setup = $$"""
            mkdir -p "$WORK/victim/shm" "$WORK/croot"
            mount -t tmpfs victim "$WORK/victim/shm"
            printf stale > "$WORK/victim/shm/{{victim}}"
            touch -d '-3 hours' "$WORK/victim/shm/{{victim}}"
            ln -s "$WORK/victim" "$WORK/croot/dev"
            hold unshare -m python3 -c 'import os,sys; r=open(sys.argv[2],"w"); os.chroot(sys.argv[1]); r.write("in"); r.close(); sys.stdin.read()' "$WORK/croot" "$WORK/chrooted"
            hold unshare -m --propagation private sh -c 'mount -t tmpfs inner /dev/shm && printf x > /dev/shm/inner_data && touch -d "-3 hours" /dev/shm/inner_data && echo up > /dev/shm/.ready && exec cat'
            ready "$WORK/chrooted"
            for _ in $(seq 200); do ls /proc/*/root/dev/shm/.ready >/dev/null 2>&1 && break; sleep 0.1; done
            """;
        string shmtools = $"dotnet '{ShmToolsCli.DllPath}'";
        using var run = PrivateShm.Start("8m", setup, "bash", "-c",
            $"{shmtools} list --all-namespaces --json; echo '=='; {shmtools} clean --yes --all-namespaces --include-orphaned --older-than 1h --json; echo '=='; ls -A \"$WORK/victim/shm\"");
        var r = run.Wait(TimeSpan.FromSeconds(90));
        var parts = r.Stdout.Split("==\n");
        Assert.True(parts.Length == 3, r.Stdout + r.Stderr);
        Assert.Contains("\"name\":\"inner_data\"", parts[0]);      // the real container's /dev/shm is read
        Assert.DoesNotContain(victim, parts[0]);
        var removed = System.Text.Json.JsonDocument.Parse(parts[1]).RootElement.GetProperty("removed").EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToList();
        Assert.Equal(["inner_data"], removed);                      // and cleaned (orphaned, 3 h untouched)
        Assert.DoesNotContain(victim, parts[1]);
        Assert.Equal(victim, parts[2].Trim());                      // the host directory keeps its file
        // Not listed, and said: the chroot's /dev/shm is reached only through its link.
        Assert.Matches(@"warning: /dev/shm of mount namespace mnt:\[\d+\]: its /dev or /dev/shm is a symbolic link, never followed into another namespace; its POSIX segments are not listed\.", r.Stderr);
        Assert.DoesNotContain("   at ", r.Stderr);
    }

    [RootFact]
    public void Namespaces_whose_dev_shm_cannot_be_listed_are_named_up_to_five_and_the_rest_counted()
    {
        // Seven "containers" whose /dev/shm is a link (any user may make as many): five named, the rest counted.
        string setup = """
            for i in 1 2 3 4 5 6 7; do
              hold unshare -m --propagation private sh -c "mount -t tmpfs d /dev && ln -s /run/shm /dev/shm && touch $WORK/up.$i && exec cat"
            done
            for _ in $(seq 200); do [ "$(ls "$WORK" | grep -c '^up\.')" = 7 ] && break; sleep 0.1; done
            """;
        using var run = PrivateShm.Start("8m", setup, "dotnet", ShmToolsCli.DllPath, "list", "--all-namespaces", "--json");
        var r = run.Wait(TimeSpan.FromSeconds(90));
        Assert.True(r.ExitCode == 0, r.Stderr);
        var named = r.Stderr.Split('\n').Where(l => l.Contains("its /dev or /dev/shm is a symbolic link")).ToList();
        Assert.True(named.Count == 5, r.Stderr);
        Assert.Equal(5, named.Distinct().Count());
        // Other tests' namespaces may be counted too (the pid namespace is shared): at least these two.
        var more = Assert.Single(r.Stderr.Split('\n'), l => l.Contains("more mount namespaces have a /dev/shm that could not be listed"));
        Assert.True(int.Parse(System.Text.RegularExpressions.Regex.Match(more, @"warning: (\d+) more").Groups[1].Value) >= 2, more);
        System.Text.Json.JsonDocument.Parse(r.Stdout); // stdout stays JSON
    }
}
