namespace ShmTools.Tests.Support;

/// <summary>A theory that needs root, as <see cref="RootFactAttribute"/>.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (new RootFactAttribute().Skip is { } skip) Skip = skip;
    }
}
