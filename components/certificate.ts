import * as acm from "@pulumi/aws/acm";
import * as route53 from "@pulumi/aws/route53";
import * as pulumi from "@pulumi/pulumi";

export interface CertificateArgs {
    /** The name users reach the app by (dr:dnsName). */
    readonly domainName: string;
    /** The hosted zone that holds it, where the validation record goes. */
    readonly zoneId: pulumi.Input<string>;
}

/**
 * An ACM certificate for the app's name in this stack's region, validated through a DNS record in the
 * app's zone. Each region has its own (an ALB takes a certificate of its region), requested in normal times:
 * Route 53's API is a control plane in us-east-1, which the failover deploy must not need (README, "The
 * recovery path"), and DNS validation keeps renewing it with no one involved.
 */
export class Certificate extends pulumi.ComponentResource {
    /** Once validated: the listener waits for it. */
    public readonly certificateArn: pulumi.Output<string>;

    constructor(name: string, args: CertificateArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multi-region-dr:components:Certificate", name, {}, opts);
        const cert = new acm.Certificate(`${name}-cert`, {
            domainName: args.domainName,
            validationMethod: "DNS",
        }, { parent: this });
        const option = cert.domainValidationOptions.apply((options) => options[0]);
        // ACM gives one account the same validation record for a name in every region, so both stacks
        // declare it: allowOverwrite lets the second adopt it, and retainOnDelete keeps it for the other
        // region's renewals when one stack is destroyed.
        const record = new route53.Record(`${name}-validation`, {
            zoneId: args.zoneId,
            name: option.resourceRecordName,
            type: option.resourceRecordType,
            records: [option.resourceRecordValue],
            ttl: 300,
            allowOverwrite: true,
        }, { parent: this, retainOnDelete: true });
        const validated = new acm.CertificateValidation(`${name}-validated`, {
            certificateArn: cert.arn,
            validationRecordFqdns: [record.fqdn],
        }, { parent: this });
        this.certificateArn = validated.certificateArn;
        this.registerOutputs({ certificateArn: this.certificateArn });
    }
}
