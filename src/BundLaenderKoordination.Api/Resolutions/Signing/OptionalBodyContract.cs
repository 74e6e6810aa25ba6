using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace BundLaenderKoordination.Api.Resolutions.Signing;

/// <summary>
/// Describes in the OpenAPI document the optional JSON body of an endpoint that reads it itself (<see cref="OptionalBody"/>),
/// named by its <c>[Consumes(typeof(T), ..., IsOptional = true)]</c>: Wolverine binds no body there, so none is described.
/// </summary>
public static class OptionalBodyContract
{
    public static void AddOptionalBodies(this IServiceCollection services) =>
        services.Configure<OpenApiOptions>(Infrastructure.ApiContract.DocumentName, options => options.AddOperationTransformer(async (operation, context, ct) =>
        {
            if (operation.RequestBody is not null) return;
            var accepts = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAcceptsMetadata>()
                .FirstOrDefault(a => a.RequestType is not null && a.IsOptional);
            if (accepts is null) return;
            var schema = await context.GetOrCreateSchemaAsync(accepts.RequestType!, null, ct);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = false,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        }));
}
