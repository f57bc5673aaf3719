package io.sluice.contracts.ownership;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /admin/ownership}: the partitions of its ownership topic this replica owns (none in a
 * service without one).
 */
@Path("/admin/ownership")
public class OwnershipResource {
    private final Ownership ownership;

    public OwnershipResource(Ownership ownership) {
        this.ownership = ownership;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Ownership.Assignment assignment() {
        return ownership.assignment();
    }
}
