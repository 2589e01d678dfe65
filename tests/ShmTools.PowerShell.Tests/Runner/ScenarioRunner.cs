using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ShmTools.PowerShell.Tests.Runner;

/// <summary>Runs a <see cref="Scenario"/>'s steps in this process's runspaces through one <see cref="RecordingHost"/>.</summary>
public sealed class ScenarioRunner(Scenario scenario, string modulePath) : IDisposable
{
    private readonly RecordingHost _host = new(scenario.Width);
    private readonly Dictionary<string, Runspace> _runspaces = new(StringComparer.Ordinal);

    public ScenarioResult Run()
    {
        var steps = new List<StepResult>();
        foreach (var step in scenario.Steps)
        {
            steps.Add(RunStep(step));
            if (step.Close && _runspaces.Remove(step.Runspace, out var closed)) closed.Dispose();
        }
        return new ScenarioResult { Steps = steps };
    }

    private Runspace RunspaceFor(string name)
    {
        if (_runspaces.TryGetValue(name, out var existing)) return existing;
        var runspace = RunspaceFactory.CreateRunspace(_host, InitialSessionState.CreateDefault2());
        runspace.Open();
        runspace.SessionStateProxy.SetVariable("ModulePath", modulePath);
        runspace.SessionStateProxy.SetVariable("ModuleFolder", Path.GetDirectoryName(modulePath));
        runspace.SessionStateProxy.SetVariable("HelperFolder", Path.Combine(AppContext.BaseDirectory, "helpers"));
        // Text without ANSI styling, as pwsh writes it to a file or pipe.
        using (var plain = System.Management.Automation.PowerShell.Create())
        {
            plain.Runspace = runspace;
            plain.AddScript("$PSStyle.OutputRendering = 'PlainText'").Invoke();
        }
        _runspaces[name] = runspace;
        return runspace;
    }

    private StepResult RunStep(ScenarioStep step)
    {
        var runspace = RunspaceFor(step.Runspace);
        var ui = _host.Recorder;
        ui.Start(step.Answers);
        var output = new PSDataCollection<PSObject>();
        var errors = new List<ErrorInfo>();
        double? stopMs = null;
        using (var ps = System.Management.Automation.PowerShell.Create())
        {
            ps.Runspace = runspace;
            ps.AddScript(step.Script);
            try
            {
                if (step.StopAfterMilliseconds is { } after)
                {
                    var running = ps.BeginInvoke<PSObject, PSObject>(null, output);
                    Thread.Sleep(after);
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    ps.Stop(); // returns once the pipeline has stopped, as Ctrl-C waits
                    stopMs = clock.Elapsed.TotalMilliseconds;
                    ps.EndInvoke(running);
                }
                else
                    ps.Invoke(null, output);
            }
            catch (RuntimeException ex)
            {
                errors.AddRange(ps.Streams.Error.Select(e => Describe(e, terminating: false)));
                errors.Add(Describe(ex.ErrorRecord, terminating: true, ex));
                return Finish(step, runspace, output, errors) with { StopMilliseconds = stopMs };
            }
            catch (Exception ex)
            {
                errors.AddRange(ps.Streams.Error.Select(e => Describe(e, terminating: false)));
                errors.Add(new ErrorInfo("HostException", "NotSpecified", ex.Message, null, true, ex.GetType().FullName));
                return Finish(step, runspace, output, errors) with { StopMilliseconds = stopMs };
            }
            errors.AddRange(ps.Streams.Error.Select(e => Describe(e, terminating: false)));
        }
        return Finish(step, runspace, output, errors) with { StopMilliseconds = stopMs };
    }

    private StepResult Finish(ScenarioStep step, Runspace runspace, PSDataCollection<PSObject> output, List<ErrorInfo> errors)
    {
        var ui = _host.Recorder;
        var objects = output.Select(o => o == null ? new OutputObject([], "", []) : Describe(o)).ToList();
        if (step.Render && output.Count > 0)
        {
            ui.Rendering = true;
            try
            {
                using var render = System.Management.Automation.PowerShell.Create();
                render.Runspace = runspace;
                render.AddCommand("Out-Default");
                render.Invoke(output);
            }
            catch (Exception ex)
            {
                errors.Add(new ErrorInfo("RenderFailed", "NotSpecified", ex.Message, null, true, ex.GetType().FullName));
            }
            finally { ui.Rendering = false; }
        }
        var errorVariable = new List<ErrorInfo>();
        if (runspace.SessionStateProxy.GetVariable("Error") is ArrayList list)
        {
            foreach (var item in list)
                if (item is ErrorRecord er) errorVariable.Add(Describe(er, terminating: false));
                else if (item is RuntimeException rex) errorVariable.Add(Describe(rex.ErrorRecord, terminating: true, rex));
            list.Clear();
        }
        return new StepResult
        {
            Console = ui.Text,
            HostText = ui.HostText,
            Objects = objects,
            Errors = errors,
            ErrorVariable = errorVariable,
            Warnings = ui.Warnings,
            Verbose = ui.Verbose,
            Progress = ui.Progress,
            Prompts = ui.Prompts,
        };
    }

    private static ErrorInfo Describe(ErrorRecord e, bool terminating, Exception? thrown = null) =>
        new(e.FullyQualifiedErrorId ?? "", e.CategoryInfo.Category.ToString(), e.ErrorDetails?.Message ?? e.Exception?.Message ?? e.ToString(),
            e.TargetObject?.GetType().FullName, terminating, (e.Exception ?? thrown)?.GetType().FullName);

    private static OutputObject Describe(PSObject o)
    {
        var properties = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (o.BaseObject is not string && !o.BaseObject.GetType().IsPrimitive)
            foreach (var p in o.Properties)
            {
                if (!p.IsGettable || properties.ContainsKey(p.Name)) continue;
                try
                {
                    var value = p.Value;
                    properties[p.Name] = value == null ? null : LanguagePrimitives.ConvertTo<string>(value);
                }
                catch (Exception ex) { properties[p.Name] = "<error: " + ex.Message + ">"; }
            }
        string text;
        try { text = o.ToString(); } catch (Exception ex) { text = "<error: " + ex.Message + ">"; }
        return new OutputObject([.. o.TypeNames], text, properties);
    }

    public void Dispose()
    {
        foreach (var r in _runspaces.Values) r.Dispose();
        _runspaces.Clear();
    }
}
