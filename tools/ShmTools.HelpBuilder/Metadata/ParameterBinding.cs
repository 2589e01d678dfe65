namespace ShmTools.HelpBuilder.Metadata;

/// <summary>One [Parameter] attribute: how the parameter binds in one parameter set.</summary>
public sealed record ParameterBinding(string ParameterSet, bool Mandatory, int? Position, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName);
