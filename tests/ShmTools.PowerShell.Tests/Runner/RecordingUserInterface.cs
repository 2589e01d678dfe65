using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using System.Text;

namespace ShmTools.PowerShell.Tests.Runner;

/// <summary>
/// The host's console: text the engine writes (Out-Default output, Write-Host, error views), each
/// stream's messages, progress records and prompts, with prompt answers taken from a queue.
/// </summary>
public sealed class RecordingUserInterface : PSHostUserInterface
{
    private readonly object _gate = new();
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _hostText = new();
    private readonly RecordingRawUserInterface _raw;
    private readonly Queue<string> _answers = new();
    private readonly List<string> _warnings = [], _verbose = [];
    private readonly List<ProgressInfo> _progress = [];
    private readonly List<PromptInfo> _prompts = [];

    public RecordingUserInterface(int width) => _raw = new RecordingRawUserInterface(width);

    public override PSHostRawUserInterface RawUI => _raw;

    /// <summary>True while Out-Default renders the step's output: its text is the console text.</summary>
    public bool Rendering { get; set; }

    public void Start(IEnumerable<string> answers)
    {
        lock (_gate)
        {
            _text.Clear(); _hostText.Clear(); _answers.Clear(); _warnings.Clear(); _verbose.Clear(); _progress.Clear(); _prompts.Clear();
            foreach (var a in answers) _answers.Enqueue(a);
        }
    }

    public string Text { get { lock (_gate) return _text.ToString(); } }
    public string HostText { get { lock (_gate) return _hostText.ToString(); } }
    public List<string> Warnings { get { lock (_gate) return [.. _warnings]; } }
    public List<string> Verbose { get { lock (_gate) return [.. _verbose]; } }
    public List<ProgressInfo> Progress { get { lock (_gate) return [.. _progress]; } }
    public List<PromptInfo> Prompts { get { lock (_gate) return [.. _prompts]; } }

    // The formatter styles table headers with ANSI sequences whatever the console; the text is what counts.
    private static readonly System.Text.RegularExpressions.Regex Ansi = new("\x1b\\[[0-9;]*m", System.Text.RegularExpressions.RegexOptions.Compiled);

    private void Append(string s) { lock (_gate) (Rendering ? _text : _hostText).Append(Ansi.Replace(s, "")); }

    public override void Write(string value) => Append(value);

    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Append(value);

    public override void WriteLine(string value) => Append(value + "\n");

    public override void WriteErrorLine(string value) => Append(value + "\n");

    public override void WriteDebugLine(string message) { }

    public override void WriteVerboseLine(string message) { lock (_gate) _verbose.Add(message); }

    public override void WriteWarningLine(string message) { lock (_gate) _warnings.Add(message); }

    public override void WriteProgress(long sourceId, ProgressRecord record)
    {
        lock (_gate)
            _progress.Add(new ProgressInfo(sourceId, record.ActivityId, record.ParentActivityId, record.Activity, record.StatusDescription,
                record.RecordType.ToString(), record.PercentComplete));
    }

    public override string ReadLine() => NextAnswer("ReadLine", null, null);

    public override SecureString ReadLineAsSecureString()
    {
        var s = new SecureString();
        foreach (char c in NextAnswer("ReadLineAsSecureString", null, null)) s.AppendChar(c);
        return s;
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        var answers = new Dictionary<string, PSObject>();
        foreach (var d in descriptions) answers[d.Name] = new PSObject(NextAnswer("Prompt", caption, message + " " + d.Name));
        return answers;
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        string answer = NextAnswer("Choice", caption, message);
        if (int.TryParse(answer, out int index) && index >= 0 && index < choices.Count) return index;
        string wanted = answer.ToLowerInvariant() switch { "all" => "yes to all", "none" => "no to all", var a => a };
        for (int i = 0; i < choices.Count; i++)
            if (string.Equals(choices[i].Label.Replace("&", ""), wanted, StringComparison.OrdinalIgnoreCase)) return i;
        throw new PSInvalidOperationException($"scripted answer '{answer}' is none of: {string.Join(", ", choices.Select(c => c.Label.Replace("&", "")))}");
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        throw new PSInvalidOperationException("the test host has no credentials to give");

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) =>
        throw new PSInvalidOperationException("the test host has no credentials to give");

    private string NextAnswer(string kind, string? caption, string? message)
    {
        lock (_gate)
        {
            string? answer = _answers.Count > 0 ? _answers.Dequeue() : null;
            _prompts.Add(new PromptInfo(kind, caption, message, answer));
            return answer ?? throw new PSInvalidOperationException($"{kind}: no scripted answer left (the host is non-interactive). {caption}: {message}");
        }
    }
}
