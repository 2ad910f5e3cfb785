package io.incidentsdk.examples.spring;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The bank's REST API: {@code POST /transfers} with {@code {"from": 1, "to": 2, "amount": 500}} (retried by
 * {@code @RetryableTransaction}), {@code POST /transfers/spring-retry} with the same body (retried by Spring's own
 * {@code @Retryable}), {@code GET /accounts} and {@code GET /accounts/{id}}.
 */
@RestController
public class BankController {

    private final TransferService transfers;

    /**
     * Creates the controller.
     *
     * @param transfers the service
     */
    public BankController(TransferService transfers) {
        this.transfers = transfers;
    }

    /**
     * A transfer request.
     *
     * @param from   the debited account
     * @param to     the credited account
     * @param amount cents
     */
    public record TransferRequest(long from, long to, long amount) {
    }

    /**
     * A transfer done.
     *
     * @param id     the ledger entry
     * @param from   the debited account
     * @param to     the credited account
     * @param amount cents
     */
    public record TransferDone(long id, long from, long to, long amount) {
    }

    /**
     * Transfers money.
     *
     * @param request the transfer
     * @return 201 with the ledger entry
     */
    @PostMapping("/transfers")
    public ResponseEntity<TransferDone> transfer(@RequestBody TransferRequest request) {
        long id = transfers.transfer(request.from(), request.to(), request.amount());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new TransferDone(id, request.from(), request.to(), request.amount()));
    }

    /**
     * Transfers money, retried by Spring's own {@code @Retryable} with the SDK's predicate.
     *
     * @param request the transfer
     * @return 201 with the ledger entry
     */
    @PostMapping("/transfers/spring-retry")
    public ResponseEntity<TransferDone> transferWithSpringRetry(@RequestBody TransferRequest request) {
        long id = transfers.transferWithSpringRetry(request.from(), request.to(), request.amount());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new TransferDone(id, request.from(), request.to(), request.amount()));
    }

    /**
     * The accounts.
     *
     * @return every account with its balance
     */
    @GetMapping("/accounts")
    public List<TransferService.Account> accounts() {
        return transfers.accounts();
    }

    /**
     * One account.
     *
     * @param id the account id
     * @return the account
     */
    @GetMapping("/accounts/{id}")
    public TransferService.Account account(@PathVariable("id") long id) {
        return transfers.account(id);
    }

    /**
     * Answers a refused transfer with 404 (unknown account), 409 (balance too low) or 400.
     *
     * @param refused the refusal
     * @return the answer
     */
    @ExceptionHandler(TransferRefused.class)
    public ResponseEntity<Map<String, String>> refused(TransferRefused refused) {
        HttpStatus status = switch (refused.reason()) {
            case UNKNOWN_ACCOUNT -> HttpStatus.NOT_FOUND;
            case INSUFFICIENT_FUNDS -> HttpStatus.CONFLICT;
            case INVALID -> HttpStatus.BAD_REQUEST;
        };
        return ResponseEntity.status(status).body(Map.of("error", refused.getMessage()));
    }
}
