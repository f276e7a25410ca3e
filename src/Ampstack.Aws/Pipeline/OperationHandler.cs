namespace Ampstack.Aws.Pipeline;

/// <summary>
/// One operation of a service as the wire layer calls it: the typed input and output it takes and gives, and the method
/// that implements it. A service's generated handler table makes one per operation of its model.
/// </summary>
public abstract class OperationHandler
{
    private protected OperationHandler(string operation, Type inputType, Type outputType)
    {
        Operation = operation;
        InputType = inputType;
        OutputType = outputType;
    }

    /// <summary>The operation's name in the model.</summary>
    public string Operation { get; }

    /// <summary>The C# type of the operation's input shape.</summary>
    public Type InputType { get; }

    /// <summary>The C# type of the operation's output shape.</summary>
    public Type OutputType { get; }

    public static OperationHandler Create<TInput, TOutput>(
        string operation,
        Func<AwsRequestContext, TInput, CancellationToken, Task<TOutput>> implementation)
        where TInput : class
        where TOutput : class => new Typed<TInput, TOutput>(operation, implementation);

    internal abstract Task<object> InvokeAsync(AwsRequestContext context, object input, CancellationToken cancellationToken);

    private sealed class Typed<TInput, TOutput>(
        string operation,
        Func<AwsRequestContext, TInput, CancellationToken, Task<TOutput>> implementation)
        : OperationHandler(operation, typeof(TInput), typeof(TOutput))
        where TInput : class
        where TOutput : class
    {
        internal override async Task<object> InvokeAsync(AwsRequestContext context, object input, CancellationToken cancellationToken) =>
            await implementation(context, (TInput)input, cancellationToken).ConfigureAwait(false);
    }
}
